import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.tests.factories import CustomerFactory
from core.storage import private_storage
from photos.tests.factories import photo_upload
from quotes import services
from quotes.models import QuotePhoto, QuoteRequest

from .factories import quotable_service, requested

pytestmark = pytest.mark.django_db


def jpeg_with_gps() -> SimpleUploadedFile:
    image = Image.new("RGB", (400, 300), (10, 200, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile("leak.jpg", buffer.getvalue(), content_type="image/jpeg")


def stored_files(media_dirs):
    root = media_dirs / "private"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_photos_are_kept_cleaned_and_in_order(media_dirs):
    quote_request = requested(photos=[jpeg_with_gps(), photo_upload("b.jpg")])

    photos = list(quote_request.photos.all())
    assert [p.position for p in photos] == [1, 2]
    with private_storage.open(photos[0].file_name, "rb") as handle:
        assert b"SecretCam" not in handle.read()
    assert (photos[0].width, photos[0].height, photos[0].content_type) == (400, 300, "image/jpeg")


def test_more_than_five_photos_are_refused_and_nothing_is_stored(media_dirs):
    with pytest.raises(services.QuoteError) as refused:
        requested(photos=[photo_upload(f"{n}.jpg") for n in range(6)])
    assert refused.value.field == "photos"
    assert QuoteRequest.objects.count() == 0
    assert stored_files(media_dirs) == []


def test_a_file_that_is_not_an_image_is_refused_by_name(media_dirs):
    fake = SimpleUploadedFile("plan.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    with pytest.raises(services.QuoteError, match=r"plan\.jpg"):
        requested(photos=[fake])
    assert QuotePhoto.objects.count() == 0


def test_a_refused_request_leaves_no_file_behind(media_dirs):
    with pytest.raises(services.QuoteError):
        requested(photos=[photo_upload()], description="")
    assert stored_files(media_dirs) == []


def test_photos_sent_from_the_form_are_served_to_the_two_sides_only(client, media_dirs):
    service = quotable_service()
    customer = CustomerFactory()
    client.force_login(customer)
    response = client.post(
        reverse("quotes:request", args=[service.pk]),
        {
            "description": "Cracked tiles",
            "city": service.provider.cities.first().pk,
            "photos": [photo_upload("one.jpg"), photo_upload("two.png", fmt="PNG")],
        },
    )
    assert response.status_code == 302
    quote_request = QuoteRequest.objects.get(customer=customer)
    photo = quote_request.photos.first()
    url = photo.get_absolute_url()

    assert url in client.get(quote_request.get_absolute_url()).content.decode()
    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    client.force_login(service.provider.user)
    assert client.get(url).status_code == 200
    client.force_login(CustomerFactory())
    assert client.get(url).status_code == 404
