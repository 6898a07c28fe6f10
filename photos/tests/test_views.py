"""The provider's photo pages: what they see, what is refused, what others may not do."""

import io

import pytest
from django.urls import reverse

from accounts.tests.factories import CustomerFactory, ProviderFactory
from catalog.tests.factories import ServiceFactory
from photos.models import Photo

from .factories import photo_bytes, photo_for, photo_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def service():
    return ServiceFactory(title="Bathroom tiling")


def _post_photo(client, service, **data):
    return client.post(
        reverse("photos:service_photos", args=[service.pk]),
        {"image": data.pop("image", photo_upload()), "alt_text": "Tiled shower", **data},
    )


def test_the_service_list_links_each_services_photos(client, service):
    client.force_login(service.provider.user)
    page = client.get(reverse("catalog:my_services")).content.decode()
    assert reverse("photos:service_photos", args=[service.pk]) in page


def test_a_provider_uploads_a_photo_and_sees_it_listed(client, service):
    client.force_login(service.provider.user)
    response = _post_photo(client, service)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Photo saved" in page
    assert 'value="Tiled shower"' in page
    assert Photo.objects.get().service_id == service.pk


def test_a_wrong_file_is_shown_again_with_its_name_and_nothing_stored(client, service):
    client.force_login(service.provider.user)
    fake = photo_upload(name="shower.png")
    fake.file = io.BytesIO(b"GIF89a not accepted")
    fake.size = 19
    response = _post_photo(client, service, image=fake)
    assert response.status_code == 400
    assert "shower.png is not a JPEG, PNG or WebP image." in response.content.decode()
    assert not Photo.objects.exists()


def test_a_bomb_is_refused(client, service):
    from core.tests.test_images import png_bomb

    client.force_login(service.provider.user)
    bomb = photo_upload(name="huge.png")
    bomb.file = io.BytesIO(png_bomb())
    bomb.size = len(bomb.file.getvalue())
    response = _post_photo(client, service, image=bomb)
    assert response.status_code == 400
    assert "huge.png has more than 40 megapixels" in response.content.decode()
    assert not Photo.objects.exists()


def test_an_oversize_file_is_refused(client, service, settings):
    settings.IMAGE_MAX_BYTES = 50_000
    client.force_login(service.provider.user)
    big = photo_upload(name="big.png")
    big.file = io.BytesIO(photo_bytes("PNG", size=(800, 800), compress_level=0))
    big.size = len(big.file.getvalue())
    response = _post_photo(client, service, image=big)
    assert response.status_code == 400
    assert "big.png is" in response.content.decode()
    assert "each photo can be at most 0.1 MB" in response.content.decode()


def test_alt_text_is_required_on_the_page(client, service):
    client.force_login(service.provider.user)
    response = _post_photo(client, service, alt_text="")
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_another_provider_gets_404_and_changes_nothing(client, service):
    photo = photo_for(provider_user=service.provider.user, service=service)
    client.force_login(ProviderFactory())
    assert client.get(reverse("photos:service_photos", args=[service.pk])).status_code == 404
    assert client.post(reverse("photos:photo_delete", args=[photo.pk])).status_code == 404
    assert (
        client.post(
            reverse("photos:photo_edit", args=[photo.pk]), {f"photo-{photo.pk}-alt_text": "Mine"}
        ).status_code
        == 404
    )
    assert Photo.objects.get(pk=photo.pk).alt_text == "Finished kitchen"


def test_a_customer_is_refused(client, service):
    client.force_login(CustomerFactory())
    assert client.get(reverse("photos:profile_photo")).status_code == 403


def test_the_provider_reorders_describes_and_deletes(client, service):
    user = service.provider.user
    first = photo_for(provider_user=user, service=service, alt_text="First")
    second = photo_for(provider_user=user, service=service, alt_text="Second")
    client.force_login(user)

    client.post(reverse("photos:photo_move", args=[second.pk]), {"direction": "earlier"})
    page = client.get(reverse("photos:service_photos", args=[service.pk])).content.decode()
    assert page.index('value="Second"') < page.index('value="First"')

    client.post(
        reverse("photos:photo_edit", args=[first.pk]), {f"photo-{first.pk}-alt_text": "Renamed"}
    )
    assert Photo.objects.get(pk=first.pk).alt_text == "Renamed"

    client.post(reverse("photos:photo_delete", args=[second.pk]))
    assert list(Photo.objects.values_list("alt_text", flat=True)) == ["Renamed"]


def test_the_public_pages_show_the_photo_with_srcset_and_size(client, service):
    photo = photo_for(provider_user=service.provider.user, service=service, alt_text="Tiled shower")
    page = client.get(service.get_absolute_url()).content.decode()
    assert 'alt="Tiled shower"' in page
    assert 'type="image/webp"' in page and "320w" in page
    assert 'width="320" height="213"' in page
    variant = photo.stored_variants[0].name
    assert variant in client.get(reverse("catalog:search")).content.decode()
    provider_page = client.get(service.provider.get_absolute_url()).content.decode()
    assert variant in provider_page


def test_without_a_photo_the_card_shows_the_initials(client, service):
    page = client.get(reverse("catalog:search")).content.decode()
    assert "photo-placeholder" in page
