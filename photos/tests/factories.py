"""Photos made through the service layer (Huey runs immediately in the suite, so their
copies are built once the test's transaction would commit: use `django_capture_on_commit_callbacks`
with `execute=True`, or `photo_for`, which does)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from photos import services


def photo_bytes(fmt="JPEG", size=(900, 600), colour=(40, 120, 200), **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt, **save)
    return buffer.getvalue()


def photo_upload(name="kitchen.jpg", fmt="JPEG", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, photo_bytes(fmt, **kwargs), content_type="image/jpeg")


def photo_for(*, provider_user, service=None, alt_text="Finished kitchen", built=True, **kwargs):
    """A photo of `service` (or the provider's own), its copies built unless told."""
    photo = services.add_photo(
        user=provider_user,
        service_id=service.pk if service else None,
        upload=photo_upload(**kwargs),
        alt_text=alt_text,
    )
    if built:
        services.build_variants(photo_id=photo.pk)
        photo.refresh_from_db()
    return photo
