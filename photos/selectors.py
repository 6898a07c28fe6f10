"""Reads of photos: a service's gallery, a provider's own photo, and the pictures of a page
of cards in one query."""

from django.db.models import Q

from .models import Photo


def service_photos(service_id: int) -> list[Photo]:
    """A service's photos that pages can show, in the provider's order."""
    return [p for p in Photo.objects.filter(service_id=service_id) if p.is_ready]


def provider_photo(provider_id: int) -> Photo | None:
    """The provider's own photo or logo, once it can be shown."""
    photo = Photo.objects.filter(provider_id=provider_id, service__isnull=True).first()
    return photo if photo and photo.is_ready else None


def managed_photos(*, provider, service_id: int | None) -> list[Photo]:
    """What the provider's dashboard lists: every photo, built or not, in order."""
    photos = Photo.objects.filter(provider=provider)
    if service_id is None:
        return list(photos.filter(service__isnull=True))
    return list(photos.filter(service_id=service_id))


def card_pictures(services) -> dict[int, Photo]:
    """{service id: the photo its card shows}: the first of its own, else its provider's
    own photo; services with neither are absent. One query however many cards."""
    services = list(services)
    if not services:
        return {}
    service_ids = {s.pk for s in services}
    provider_ids = {s.provider_id for s in services}
    rows = (
        Photo.objects.filter(
            Q(service_id__in=service_ids) | Q(provider_id__in=provider_ids, service__isnull=True)
        )
        .exclude(variants=[])
        .order_by("position", "id")
    )
    first_of_service, own = {}, {}
    for photo in rows:
        if photo.service_id is None:
            own[photo.provider_id] = photo
        else:
            first_of_service.setdefault(photo.service_id, photo)
    pictures = {}
    for service in services:
        photo = first_of_service.get(service.pk) or own.get(service.provider_id)
        if photo is not None:
            pictures[service.pk] = photo
    return pictures


def provider_pictures(provider_ids) -> dict[int, Photo]:
    """{provider id: their own photo} for those who have one shown; one query."""
    rows = Photo.objects.filter(provider_id__in=set(provider_ids), service__isnull=True).exclude(
        variants=[]
    )
    return {photo.provider_id: photo for photo in rows}
