"""Media on S3-compatible object storage: moto's server (tests/infra/moto.py) stands in
for S3, reached over HTTP as the app would reach S3."""

import secrets
import urllib.error
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages

from accounts.models import UserProfile, VerificationStatus
from accounts.tests.factories import (
    PDF_BYTES,
    AdminFactory,
    CustomerFactory,
    ProviderFactory,
    apply_for_verification,
    image_bytes,
    pdf_upload,
)
from core.storage import PUBLIC_CACHE_CONTROL, s3_storages

pytestmark = pytest.mark.django_db


@pytest.fixture
def s3(moto_server, settings):
    """STORAGES as settings.py builds them for S3_BUCKET, on fresh buckets of moto's."""
    public, private = f"media-{secrets.token_hex(4)}", f"private-{secrets.token_hex(4)}"
    client = moto_server.client()
    client.create_bucket(Bucket=public)
    client.create_bucket(Bucket=private)
    settings.STORAGES = settings.STORAGES | s3_storages(
        bucket=public,
        private_bucket=private,
        endpoint_url=moto_server.endpoint_url,
        region_name=moto_server.region,
        access_key=moto_server.access_key,
        secret_key=moto_server.secret_key,
    )
    client.buckets = (public, private)
    return client


def anonymous_get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, b""


def test_a_photo_goes_to_the_bucket_with_a_plain_long_cache_url(s3):
    profile = UserProfile.objects.get(user=CustomerFactory())
    profile.avatar.save("me.png", ContentFile(image_bytes()))

    url = profile.avatar.url
    status, headers, body = anonymous_get(url)

    assert url.startswith(f"{s3.meta.endpoint_url}/{s3.buckets[0]}/media/avatars/me-")
    assert "?" not in url  # no signature: the same URL for everyone, cacheable by a CDN
    assert (status, body) == (200, image_bytes())
    assert headers["Cache-Control"] == PUBLIC_CACHE_CONTROL


def test_the_same_name_uploaded_twice_gets_two_urls(s3):
    first = default_storage.save("photos/kitchen.jpg", ContentFile(b"one"))
    second = default_storage.save("photos/kitchen.jpg", ContentFile(b"two"))

    assert first != second  # a long-cached URL never shows a different file


def test_a_verification_document_is_private_and_only_the_app_hands_it_out(s3, client):
    provider = ProviderFactory(verification=VerificationStatus.PENDING)
    application = apply_for_verification(provider, trade_documents=[pdf_upload("licence.pdf")])
    document = application.documents.get(kind="TRADE")
    key = f"private/{document.file.name}"

    stored = s3.get_object(Bucket=s3.buckets[1], Key=key)
    assert stored["Body"].read() == PDF_BYTES  # in the private bucket, under its prefix
    with pytest.raises(ValueError, match="no public URL"):
        document.file.url  # noqa: B018
    status, _, body = anonymous_get(f"{s3.meta.endpoint_url}/{s3.buckets[1]}/{key}")
    assert status == 403 and body == b""  # the object itself refuses anyone without keys

    client.force_login(provider)
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert "no-store" in response["Cache-Control"]

    client.force_login(AdminFactory())
    assert client.get(document.get_absolute_url()).status_code == 200
    client.force_login(CustomerFactory())
    assert client.get(document.get_absolute_url()).status_code == 404


def test_private_objects_are_written_private_with_no_store(s3):
    name = storages["private"].save("verification/x.pdf", ContentFile(PDF_BYTES))

    grants = s3.get_object_acl(Bucket=s3.buckets[1], Key=f"private/{name}")["Grants"]
    head = s3.head_object(Bucket=s3.buckets[1], Key=f"private/{name}")

    assert not any("AllUsers" in g["Grantee"].get("URI", "") for g in grants)
    assert head["CacheControl"] == "private, no-store"


def test_without_s3_bucket_files_stay_on_disk(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    provider = ProviderFactory(verification=VerificationStatus.PENDING)

    document = apply_for_verification(provider).documents.first()

    assert type(storages["default"]).__name__ == "FileSystemStorage"
    assert document.file.path.startswith(f"{tmp_path}/private/verification/")
