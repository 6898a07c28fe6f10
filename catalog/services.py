"""Writes on the catalog: categories, a provider's services, and the data search derives from them."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from accounts.models import ServiceProviderProfile, User, VerificationStatus
from core.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound

from . import cache as catalog_cache
from . import selectors
from .models import SERVICE_FIELDS, FreeDaysState, SearchTerm, Service, ServiceCategory
from .search_text import words


class CatalogError(DomainError):
    """A catalog rule refused the request (400); the subclasses below say when it is another
    kind (core/errors.py)."""


class NotYourService(CatalogError, NotFound):
    """Another provider's service: the API answers as for one that does not exist."""


class SlugTaken(CatalogError, InvalidInput):
    """The provider already has a service at this slug."""

    def __init__(self, message: str, *, field: str | None = "slug"):
        super().__init__(message, field=field)


class ServiceHasBookings(CatalogError, Conflict):
    """The service has bookings, so it can only be paused, not deleted."""

    def __init__(
        self,
        message: str = "This service has bookings, so it cannot be deleted. "
        "Pause it to hide it instead.",
        *,
        field: str | None = None,
    ):
        super().__init__(message, field=field)


class StaffOnly(CatalogError, Forbidden):
    """Only the marketplace team may do this (e.g. feature a service)."""


# --- Derived search data ---------------------------------------------------------


# A service's search vector from its row `s` and its category's row `c`.
SEARCH_VECTOR_SQL = """
    setweight(to_tsvector('english', s.title), 'A')
    || setweight(to_tsvector('english', s.short_description), 'B')
    || setweight(to_tsvector('english', s.description), 'C')
    || setweight(to_tsvector('english', c.search_terms), 'D')
"""


def refresh_search_vectors(service_ids=None, *, first_id=None) -> None:
    """Recompute the weighted search vector of the given services (all when neither is given)."""
    if not settings.IS_POSTGRES:
        return
    where, params = "", []
    if service_ids is not None:
        where, params = "AND s.id = ANY(%s)", [list(service_ids)]
    elif first_id is not None:
        where, params = "AND s.id >= %s", [first_id]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE catalog_service AS s SET search_vector = {SEARCH_VECTOR_SQL}
            FROM catalog_servicecategory AS c
            WHERE c.id = s.category_id {where}
            """,
            params,
        )


def remember_search_terms(*texts: str) -> None:
    """Add the words of `texts` to the vocabulary misspelt queries are corrected against."""
    found = {word for text in texts for word in words(text)}
    if found:
        SearchTerm.objects.bulk_create(
            [SearchTerm(word=word) for word in found], ignore_conflicts=True, batch_size=1000
        )


def _listed_condition(provider: ServiceProviderProfile) -> bool:
    return provider.verification_status == VerificationStatus.VERIFIED


def _cities_of(provider: ServiceProviderProfile) -> list[int]:
    """The provider's cities, read under a lock on the provider's row.

    A service being written and the provider's cities changing at the same moment would
    otherwise leave the service with the old cities: its write read them before the change
    committed, and the change's sync did not see the service yet. With both holding the
    provider's row, the second reads (and updates) what the first committed."""
    ServiceProviderProfile.objects.select_for_update().filter(pk=provider.pk).values("pk").first()
    return sorted(provider.cities.values_list("pk", flat=True))


def sync_provider_cities(*, provider: ServiceProviderProfile) -> None:
    """Copy the cities a provider serves onto each of their services (what search filters on);
    only the rows that differ are written, so a profile saved unchanged rewrites nothing."""
    cities = _cities_of(provider)
    Service.objects.filter(provider=provider).exclude(city_ids=cities).update(city_ids=cities)


# What catalog's own writes owe: no task is asked for from here (booking, above, owns the
# refresh), so the mark is dated back for the next minute's sweep to take it.
_OWED_FOR_THE_SWEEP = timedelta(hours=1)


def owe_free_days(provider_id: int, *, since: datetime | None = None) -> None:
    """Mark the provider's free days (search's availability filter, kept by booking.free_days)
    owed, in the caller's transaction: a record that outlives a lost task."""
    since = since or timezone.now() - _OWED_FOR_THE_SWEEP
    FreeDaysState.objects.bulk_create(
        [FreeDaysState(provider_id=provider_id, owed_since=since)],
        update_conflicts=True,
        unique_fields=["provider"],
        update_fields=["owed_since"],
    )


@transaction.atomic
def sync_provider_listings(*, provider: ServiceProviderProfile) -> None:
    """Show or hide all of a provider's services after their verification status changed."""
    services = Service.objects.filter(provider=provider)
    if _listed_condition(provider):
        services.filter(is_active=True).update(is_listed=True)
        services.filter(is_active=False).update(is_listed=False)
    else:
        services.update(is_listed=False)
    owe_free_days(provider.pk)
    catalog_cache.invalidate_listings()


# --- Categories ---------------------------------------------------------------------


def _refresh_category_search_terms() -> set[int]:
    """Rewrite every category's ancestor names; return the ids whose terms changed."""
    categories = {c.pk: c for c in ServiceCategory.objects.all()}
    changed = []
    for category in categories.values():
        names, node, seen = [], category, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            names.append(node.name)
            node = categories.get(node.parent_id)
        terms = " ".join(reversed(names))
        if category.search_terms != terms:
            category.search_terms = terms
            changed.append(category)
    ServiceCategory.objects.bulk_update(changed, ["search_terms"])
    return {c.pk for c in changed}


def _check_parent(category: ServiceCategory) -> None:
    node_id = category.parent_id
    parents = dict(ServiceCategory.objects.values_list("pk", "parent_id"))
    while node_id is not None:
        if node_id == category.pk:
            raise CatalogError(
                "A category cannot be placed under itself or one of its subcategories."
            )
        node_id = parents.get(node_id)


@transaction.atomic
def save_category(*, category: ServiceCategory) -> ServiceCategory:
    """Save a category, keep its services' search data in step, and refresh the cached tree."""
    if not category.slug:
        category.slug = slugify(category.name)[:90]
    if category.pk:
        _check_parent(category)
    category.save()
    changed = _refresh_category_search_terms()
    remember_search_terms(category.name)
    if changed:
        refresh_search_vectors(
            Service.objects.filter(category_id__in=changed).values_list("pk", flat=True)
        )
    catalog_cache.invalidate_category_tree()
    return category


@transaction.atomic
def delete_category(*, category: ServiceCategory) -> None:
    try:
        category.delete()
    except ProtectedError as exc:
        raise CatalogError(
            "This category still has services or subcategories; move them first or deactivate it."
        ) from exc
    catalog_cache.invalidate_category_tree()


# --- A provider's services ---------------------------------------------------------


def _provider_of(user: User) -> ServiceProviderProfile:
    if not user.is_provider:
        raise CatalogError("Only providers can offer services.")
    return user.provider_profile


def _check_owner(service: Service, user: User) -> None:
    # Marketplace staff change any service (Django admin) under the same rules; the pages
    # and the API only ever hand a provider their own.
    if user.is_marketplace_staff:
        return
    if service.provider.user_id != user.pk:
        raise NotYourService("This service belongs to another provider.")


def _unique_slug(provider: ServiceProviderProfile, wanted: str, exclude_pk=None) -> str:
    base = slugify(wanted)[:120] or "service"
    taken = set(
        Service.objects.filter(provider=provider, slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug = base
    while slug in taken:
        slug = f"{base}-{get_random_string(4, 'abcdefghjkmnpqrstuvwxyz23456789')}"
    return slug


def _one_line_title(fields: dict) -> dict:
    # A title travels into notification titles and email subjects, where a line break
    # makes the email unsendable (Django refuses multi-line headers): one line only.
    if isinstance(fields.get("title"), str):
        fields = fields | {"title": " ".join(fields["title"].split())}
    return fields


def _shown_root_of(category_id: int) -> int | None:
    tree = selectors.category_tree()
    return tree.root_of(category_id) if category_id in tree.nodes else None


def _invalidate_pages_of(service: Service, *, was_in: int | None = None) -> None:
    """Make stale the cached pages that show the service: its category's (and the one it
    left), and the home page's only if it is featured there."""
    catalog_cache.invalidate_category_pages(
        {service.category_id, was_in} - {None}, root_of=_shown_root_of
    )
    if service.is_featured:
        catalog_cache.invalidate_listings()


def _after_write(service: Service, *, was_in: int | None = None) -> None:
    refresh_search_vectors([service.pk])
    owe_free_days(service.provider_id)  # its length, pricing or listing may have changed
    # Every word a listing can be found by, or a correct query word would be "corrected".
    remember_search_terms(service.title, service.short_description, service.description)
    _invalidate_pages_of(service, was_in=was_in)


@transaction.atomic
def create_service(*, user: User, **fields) -> Service:
    """Create a service for the provider `user`; listed at once if the provider is verified."""
    provider = _provider_of(user)
    fields = _one_line_title({name: fields[name] for name in SERVICE_FIELDS if name in fields})
    chosen_slug = slugify(fields.pop("slug", "") or "")
    if chosen_slug and Service.objects.filter(provider=provider, slug=chosen_slug).exists():
        raise SlugTaken("You already have a service with this slug.")
    service = Service(provider=provider, **fields)
    service.slug = chosen_slug or _unique_slug(provider, service.title)
    service.is_listed = service.is_active and _listed_condition(provider)
    service.city_ids = _cities_of(provider)
    service.full_clean()
    service.save()
    _after_write(service)
    return service


@transaction.atomic
def update_service(*, service: Service, user: User, **fields) -> Service:
    """Change a provider's own service (marketplace staff: any service)."""
    _check_owner(service, user)
    fields = _one_line_title(fields)
    # The stored category, not `service.category_id`: a ModelForm bound to this instance has
    # already set the new one on it.
    was_in = Service.objects.filter(pk=service.pk).values_list("category_id", flat=True).first()
    for name in SERVICE_FIELDS:
        if name in fields and name != "slug":
            setattr(service, name, fields[name])
    if fields.get("slug"):
        # Checked against the stored rows, not `service.slug`: a ModelForm bound to this
        # instance has already set the new slug on it.
        wanted = slugify(fields["slug"])
        if (
            Service.objects.filter(provider=service.provider, slug=wanted)
            .exclude(pk=service.pk)
            .exists()
        ):
            raise SlugTaken("You already have a service with this slug.")
        service.slug = wanted
    service.is_listed = service.is_active and _listed_condition(service.provider)
    # Read again: the whole row is saved, and the cities the instance was loaded with may
    # have changed since.
    service.city_ids = _cities_of(service.provider)
    service.full_clean()
    service.save()
    _after_write(service, was_in=was_in)
    return service


@transaction.atomic
def set_service_active(*, service: Service, user: User, active: bool) -> Service:
    """Pause or resume a service; a paused service is hidden from customers."""
    _check_owner(service, user)
    service.is_active = active
    service.is_listed = active and _listed_condition(service.provider)
    service.save(update_fields=["is_active", "is_listed", "updated_at"])
    owe_free_days(service.provider_id)
    _invalidate_pages_of(service)
    return service


@transaction.atomic
def delete_service(*, service: Service, user: User) -> None:
    """Delete a provider's own service (staff: any); one with bookings must be paused instead."""
    _check_owner(service, user)
    try:
        service.delete()
    except ProtectedError as exc:
        raise ServiceHasBookings() from exc
    _invalidate_pages_of(service)


@transaction.atomic
def set_service_featured(*, service: Service, user: User, featured: bool) -> Service:
    """Feature a service on the home page or stop featuring it; marketplace staff only."""
    if not user.is_marketplace_staff:
        raise StaffOnly("Only the marketplace team can feature services.")
    service.is_featured = featured
    service.save(update_fields=["is_featured", "updated_at"])
    catalog_cache.invalidate_listings()  # the home page, whichever way it went
    return service


@transaction.atomic
def save_service_as_staff(*, service: Service) -> Service:
    """Save a service edited by marketplace staff (e.g. featuring it), keeping derived data right."""
    stored = Service.objects.filter(pk=service.pk).values("category_id", "is_featured").first()
    service.is_listed = service.is_active and _listed_condition(service.provider)
    service.city_ids = _cities_of(service.provider)  # a service staff add in the admin
    service.full_clean()
    service.save()
    _after_write(service, was_in=stored and stored["category_id"])
    if stored and stored["is_featured"] != service.is_featured:
        catalog_cache.invalidate_listings()  # off the home page, or onto it
    return service
