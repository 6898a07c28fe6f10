"""Every write to photos: add, replace, describe, reorder, delete, and build the copies.

Each upload is judged by core.images (type from its bytes, Pillow decodes it, size and pixel
limits) and stored cleaned of EXIF in the private storage; the row says its resized copies
are owed. After commit a Huey job builds them (`build_variants`), and the sweeper rebuilds
whatever stays owed, so a lost enqueue or a dead worker leaves work owed, never lost.
Pages show a photo once it has copies; a replaced photo keeps its old copies until the new
ones exist, so it never disappears meanwhile.
"""

import logging
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from accounts.models import ServiceProviderProfile
from catalog import cache as catalog_cache
from catalog.models import Service
from core import images
from core.storage import private_storage

from . import conf
from .errors import PhotoInvalid, PhotoNotFound, TooManyPhotos
from .models import Photo

logger = logging.getLogger(__name__)

ALT_TEXT_MAX = Photo._meta.get_field("alt_text").max_length


def _public_storage():
    return storages["default"]


def _own_profile(user) -> ServiceProviderProfile:
    profile = ServiceProviderProfile.objects.filter(user=user).first() if user else None
    if profile is None:
        raise PhotoNotFound("Only providers have photos.")
    return profile


def own_photo(*, user, photo_id: int) -> Photo:
    """The provider's own photo; another's is simply not found."""
    photo = Photo.objects.filter(pk=photo_id, provider__user=user).select_related("service").first()
    if photo is None:
        raise PhotoNotFound("No such photo.")
    return photo


def _checked_alt_text(alt_text: str) -> str:
    text = " ".join((alt_text or "").split())
    if not text:
        raise PhotoInvalid(
            "Describe the photo for people who cannot see it (alt text).", field="alt_text"
        )
    if len(text) > ALT_TEXT_MAX:
        raise PhotoInvalid(
            f"Keep the description under {ALT_TEXT_MAX} characters.", field="alt_text"
        )
    return text


def _stored_original(upload) -> tuple[str, int, int]:
    """The upload judged, cleaned and saved privately: (name, width, height)."""
    try:
        inspected = images.inspect_image(upload)
        cleaned = images.clean_image(upload)
    except ValidationError as exc:
        raise PhotoInvalid(exc.messages[0], field="image", errors={"image": exc.messages}) from None
    name = private_storage.save(
        f"photos/originals/{secrets.token_urlsafe(24)}{inspected.type.extension}", cleaned
    )
    return name, inspected.width, inspected.height


def _after_commit_build(photo_id: int) -> None:
    transaction.on_commit(lambda: enqueue_build(photo_id))


def _after_commit_delete(*, original: str | None = None, variants=()) -> None:
    variants = list(variants)

    def delete():
        if original:
            private_storage.delete(original)
        images.delete_variants(_public_storage(), variants)

    transaction.on_commit(delete)


class _Writing:
    """Delete the originals saved during a block that then fails, so none is orphaned."""

    def __init__(self):
        self.saved: list[str] = []

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            for name in self.saved:
                private_storage.delete(name)
        return False


def add_photo(*, user, upload, alt_text: str, service_id: int | None = None) -> Photo:
    """Add a photo to one of the provider's services (at the end, at most
    PHOTOS_MAX_PER_SERVICE), or set their own photo (`service_id=None`, replacing it)."""
    alt_text = _checked_alt_text(alt_text)
    profile = _own_profile(user)
    with _Writing() as writing, transaction.atomic():
        # The provider's row serialises their photo writes, so two uploads at once cannot
        # both take the eighth place.
        ServiceProviderProfile.objects.select_for_update().filter(pk=profile.pk).first()
        if service_id is None:
            existing = Photo.objects.filter(provider=profile, service__isnull=True).first()
            if existing is not None:
                return _replace(photo=existing, upload=upload, alt_text=alt_text, writing=writing)
            position = 0
        else:
            if not Service.objects.filter(pk=service_id, provider=profile).exists():
                raise PhotoNotFound("No such service.")
            taken = Photo.objects.filter(service_id=service_id)
            limit = conf.MAX_PER_SERVICE
            if taken.count() >= limit:
                raise TooManyPhotos(
                    f"A service can have at most {limit} photos: delete one to add another.",
                    field="image",
                )
            position = (taken.aggregate(last=Max("position"))["last"] or 0) + 1
        name, width, height = _stored_original(upload)
        writing.saved.append(name)
        photo = Photo.objects.create(
            provider=profile,
            service_id=service_id,
            alt_text=alt_text,
            position=position,
            original_name=name,
            width=width,
            height=height,
        )
        _after_commit_build(photo.pk)
    return photo


def _replace(*, photo: Photo, upload, alt_text: str | None, writing: _Writing) -> Photo:
    name, width, height = _stored_original(upload)
    writing.saved.append(name)
    _after_commit_delete(original=photo.original_name)
    photo.original_name, photo.width, photo.height = name, width, height
    photo.version += 1
    photo.variants_owed = True
    photo.build_attempts = 0
    photo.last_error = ""
    if alt_text is not None:
        photo.alt_text = alt_text
    photo.save()
    _after_commit_build(photo.pk)
    return photo


def update_photo(*, user, photo_id: int, alt_text: str, upload=None) -> Photo:
    """Describe a photo anew and, with an upload, replace its picture (same place)."""
    alt_text = _checked_alt_text(alt_text)
    with _Writing() as writing, transaction.atomic():
        photo = own_photo(user=user, photo_id=photo_id)
        photo = Photo.objects.select_for_update().get(pk=photo.pk)
        if upload is not None:
            photo = _replace(photo=photo, upload=upload, alt_text=alt_text, writing=writing)
        else:
            photo.alt_text = alt_text
            photo.save(update_fields=["alt_text", "updated_at"])
        catalog_cache.invalidate_listings()
    return photo


def move_photo(*, user, photo_id: int, offset: int) -> Photo:
    """Move a service's photo earlier (offset -1) or later (+1) in its order; the first
    one is the service's cover."""
    with transaction.atomic():
        photo = own_photo(user=user, photo_id=photo_id)
        if photo.service_id is None:
            return photo
        ordered = list(
            Photo.objects.select_for_update()
            .filter(service_id=photo.service_id)
            .order_by("position", "id")
        )
        index = next(i for i, p in enumerate(ordered) if p.pk == photo.pk)
        target = min(max(index + offset, 0), len(ordered) - 1)
        ordered.insert(target, ordered.pop(index))
        for position, item in enumerate(ordered):
            if item.position != position:
                Photo.objects.filter(pk=item.pk).update(position=position)
        catalog_cache.invalidate_listings()
    photo.position = target
    return photo


def delete_photo(*, user, photo_id: int) -> Photo:
    """Delete one of the provider's photos; its files go once the deletion commits."""
    with transaction.atomic():
        photo = own_photo(user=user, photo_id=photo_id)
        return _delete(photo)


def _delete(photo: Photo) -> Photo:
    _after_commit_delete(original=photo.original_name, variants=photo.variants)
    photo.delete()
    catalog_cache.invalidate_listings()
    return photo


def delete_photo_as_staff(*, photo: Photo) -> None:
    """The marketplace team removes a photo (Django admin)."""
    with transaction.atomic():
        _delete(photo)


# --- The copies: built after commit, swept when owed ---------------------------------------


def enqueue_build(photo_id: int) -> bool:
    """Best effort: ask the worker to build a photo's copies; the sweeper covers a refusal."""
    from notifications.services import ENQUEUE_ERRORS

    from .tasks import build_photo_variants

    try:
        build_photo_variants(photo_id)
    except ENQUEUE_ERRORS as exc:
        logger.warning("photo %s: enqueue failed, the sweeper will build it: %s", photo_id, exc)
        return False
    return True


def build_variants(*, photo_id: int) -> bool:
    """Build the owed copies of one photo from its current original; True when it now has
    them. The slow part runs outside any transaction; the result is kept only if the
    original is still the one built from (else the newer build's job does it)."""
    photo = Photo.objects.filter(pk=photo_id, variants_owed=True).first()
    if photo is None:
        return False  # deleted, or already built by another job
    version = photo.version
    storage = _public_storage()
    try:
        built = images.build_variants(
            private_storage,
            photo.original_name,
            storage=storage,
            prefix=f"photos/{photo.provider_id}/{secrets.token_urlsafe(12)}",
        )
    except (OSError, ValueError) as exc:
        Photo.objects.filter(pk=photo_id).update(
            build_attempts=F("build_attempts") + 1, last_error=str(exc)[:300]
        )
        logger.warning("photo %s: copies not built: %s", photo_id, exc)
        return False
    with transaction.atomic():
        current = Photo.objects.select_for_update().filter(pk=photo_id).first()
        if current is None or current.version != version or not current.variants_owed:
            images.delete_variants(storage, built)  # outdated before it was kept
            return False
        replaced = current.variants
        current.variants = [variant.as_dict() for variant in built]
        current.variants_owed = False
        current.last_error = ""
        current.save(update_fields=["variants", "variants_owed", "last_error", "updated_at"])
        _after_commit_delete(variants=replaced)
        catalog_cache.invalidate_listings()
    return True


def owed_photo_ids(*, now=None, limit: int = 100) -> list[int]:
    """Photos whose copies are still owed after their job should have built them."""
    now = now or timezone.now()
    return list(
        Photo.objects.filter(
            variants_owed=True,
            updated_at__lte=now - timedelta(seconds=conf.SWEEP_AFTER_SECONDS),
            build_attempts__lt=conf.MAX_ATTEMPTS,
        )
        .order_by("updated_at")
        .values_list("pk", flat=True)[:limit]
    )


def sweep_owed_variants(*, now=None) -> int:
    """Build the copies still owed (a lost enqueue, a worker killed mid-build); how many."""
    built = 0
    for photo_id in owed_photo_ids(now=now):
        if build_variants(photo_id=photo_id):
            built += 1
    if built:
        logger.info("photo sweeper: %s photo(s) built", built)
    return built
