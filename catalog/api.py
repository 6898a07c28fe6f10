"""The catalog part of the JSON API: the category tree, search, and a provider's services.

Reads go through the site's selectors and search form, writes through catalog.services,
so the API and the site cannot disagree about what a filter means or what a service may be.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from accounts.selectors import resolve_city, served_cities
from core.api.auth import jwt_auth
from core.api.errors import ErrorOut
from core.api.pagination import PageIn, paginated, paginated_queryset

from . import selectors, services
from .forms import SearchForm, ServiceForm
from .models import Service
from .schemas import (
    CategoryTreeOut,
    CityPageOut,
    OwnServicePageOut,
    ServiceDetailOut,
    ServiceIn,
    ServiceOut,
    ServicePageOut,
    ServicePatchIn,
    ServiceSearchIn,
)

router = Router(tags=["services"])

PROVIDERS_ONLY = "Only providers can manage services."
NOT_VERIFIED = {
    "PENDING": "Your provider account is waiting for verification. You can offer services "
    "through the API once an admin has verified it.",
    "REJECTED": "Your provider account was not verified, so you cannot offer services.",
}

# The API's names for the search form's fields, where they differ.
SEARCH_PARAMETER_NAMES = {"sort": "ordering"}


def _field_errors(form, names=None) -> ValidationError:
    """The form's errors as a ValidationError the API answers with 400 and `errors`."""
    names = names or {}
    return ValidationError(
        {names.get(field, field): errors for field, errors in form.errors.as_data().items()}
    )


# --- Categories ----------------------------------------------------------------------


def _category_branch(tree: selectors.CategoryTree, ids) -> list[dict]:
    return [
        {
            "id": node.id,
            "name": node.name,
            "slug": node.slug,
            "icon": node.icon,
            "description": node.description,
            "children": _category_branch(tree, node.children),
        }
        for node in (tree.nodes[pk] for pk in ids)
    ]


@router.get(
    "/categories/",
    response={200: CategoryTreeOut, 429: ErrorOut},
    summary="The category tree",
    description="Every active category, nested under its parent, in display order.",
    tags=["categories"],
)
def list_categories(request):
    tree = selectors.category_tree()
    return _category_branch(tree, tree.roots)


# --- Cities --------------------------------------------------------------------------

CITY_PAGE_SIZE = 100


@router.get(
    "/cities/",
    response={200: CityPageOut, 400: ErrorOut, 429: ErrorOut},
    summary="The cities providers work in",
    description=f"Every city where a verified provider works, by name, {CITY_PAGE_SIZE} a "
    "page: what search's `city` and a booking's `service_city` take (the slug, or the name). "
    "Which cities one provider serves is in each service's `provider.cities`.",
    tags=["categories"],
)
def list_cities(request, query: Query[PageIn]):
    return paginated_queryset(request, served_cities(), page=query.page, page_size=CITY_PAGE_SIZE)


# --- Search and one service ----------------------------------------------------------


@router.get(
    "/services/",
    response={200: ServicePageOut, 400: ErrorOut, 429: ErrorOut},
    summary="Search services",
    description="Listed services (active, of verified providers) matching the filters, "
    f"{selectors.PAGE_SIZE} a page: the same search as the site's search page. Unlike the "
    "page, which ignores a bad filter, the API answers 400 naming each bad parameter in "
    "`errors` (text in a price, an unknown category or city, an unknown ordering, a page "
    "past the last one).",
)
def search_services(request, filters: Query[ServiceSearchIn]):
    params = {name: "" if value is None else str(value) for name, value in filters.dict().items()}
    params["sort"] = params.pop("ordering")
    params["category"] = _category_slug(params["category"])
    if params["city"].strip():
        params["city"] = resolve_city(params["city"], field="city").slug
    form = SearchForm(data=params)
    if not form.is_valid():
        raise _field_errors(form, SEARCH_PARAMETER_NAMES)
    wanted = form.filters()
    results = selectors.search_services(wanted)
    prefetch_related_objects(results.services, "provider__cities")
    return paginated(
        request,
        page=wanted.page,
        num_pages=results.num_pages,
        count=results.count,
        results=results.services,
        count_is_capped=results.count_is_capped,
        corrected_query=results.corrected_query or None,
    )


def _category_slug(value: str) -> str:
    """The slug of the active category `value` names by id or slug (the ids are those of
    /api/categories/ and of service creation); an unknown one is a 400 naming `category`."""
    wanted = value.strip()
    if not wanted:
        return ""
    tree = selectors.category_tree()
    node = tree.nodes.get(int(wanted)) if wanted.isdecimal() else tree.get(wanted.lower())
    if node is None:
        raise ValidationError(
            {
                "category": [
                    f"Unknown category “{wanted}”: send an id or a slug from /api/categories/."
                ]
            }
        )
    return node.slug


# Booking sits above the catalog, so booking/api.py tells it how to find a service's next
# free start (as a slot dict, or None) when the API is put together.
_next_free_slot = None


def set_next_free_slot(finder) -> None:
    global _next_free_slot
    _next_free_slot = finder


@router.get(
    "/services/{int:service_id}/",
    response={200: ServiceDetailOut, 404: ErrorOut, 429: ErrorOut},
    summary="One service",
    description="A listed service, with its next free start: 404 while it is paused or its "
    "provider is not verified, for its owner too (as on the site). Owners get their "
    "service in the answers of create and update, and all of them in GET /api/me/services/.",
)
def get_service(request, service_id: int):
    service = get_object_or_404(
        selectors.public_services().prefetch_related("provider__cities"), pk=service_id
    )
    service.next_free_slot = _next_free_slot(service) if _next_free_slot else None
    return service


# --- A provider's own services -------------------------------------------------------


def _require_provider(user) -> None:
    if not user.is_provider:
        raise PermissionDenied(PROVIDERS_ONLY)


def _own_service(request, service_id: int) -> Service:
    """The caller's service; another provider's is not found, as in the dashboard."""
    _require_provider(request.user)
    return get_object_or_404(
        Service.objects.select_related("category", "provider__user"),
        pk=service_id,
        provider__user=request.user,
    )


def _as_stored(service: Service) -> Service:
    """The service as read back, so the answer shows what a later GET shows ("99.50", not
    the "99.5" that was sent)."""
    return (
        Service.objects.select_related("category", "provider__user")
        .prefetch_related("provider__cities")
        .get(pk=service.pk)
    )


def _service_form_data(service: Service) -> dict:
    """A service as the service form's data, to apply a partial update on top of."""
    data = {name: getattr(service, name) for name in ServiceForm.Meta.fields}
    data["category"] = service.category_id
    return data


OWN_SERVICES_PAGE_SIZE = 50


@router.get(
    "/me/services/",
    auth=jwt_auth,
    response={200: OwnServicePageOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut},
    summary="Your services, paused ones included",
    description=f"For providers: every service of yours, newest first, "
    f"{OWN_SERVICES_PAGE_SIZE} a page, listed or paused (`is_active`). Customers and admins "
    "get 403.",
)
def list_own_services(request, query: Query[PageIn]):
    _require_provider(request.user)
    provider = request.user.provider_profile
    own = (
        selectors.services_of_provider(provider)
        .select_related("provider__user")
        .prefetch_related("provider__cities")
        .order_by("-created_at", "-pk")
    )
    return paginated_queryset(request, own, page=query.page, page_size=OWN_SERVICES_PAGE_SIZE)


@router.post(
    "/services/create/",
    auth=jwt_auth,
    response={201: ServiceOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut},
    summary="Offer a new service",
    description="For verified providers: the service is listed at once. Customers and "
    "providers not (yet) verified get 403. The same rules as the provider dashboard; "
    "each broken one is a 400 naming the field.",
)
def create_service(request, payload: ServiceIn):
    _require_provider(request.user)
    profile = request.user.provider_profile
    if not profile.is_verified:
        raise PermissionDenied(NOT_VERIFIED.get(profile.verification_status, PROVIDERS_ONLY))
    form = ServiceForm(data=payload.dict() | {"is_active": True})
    if not form.is_valid():
        raise _field_errors(form)
    service = services.create_service(user=request.user, **form.service_fields())
    return Status(201, _as_stored(service))


@router.patch(
    "/services/{int:service_id}/",
    auth=jwt_auth,
    response={
        200: ServiceOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        429: ErrorOut,
    },
    summary="Change, pause or resume one of your services",
    description="Only the fields sent change. `is_active: false` pauses the service (hidden "
    "from customers), `true` resumes it. Customers get 403; another provider's service is "
    "404, as if it did not exist.",
)
def update_service(request, service_id: int, payload: ServicePatchIn):
    service = _own_service(request, service_id)
    changes = payload.dict(exclude_unset=True)
    if set(changes) == {"is_active"}:
        services.set_service_active(service=service, user=request.user, active=changes["is_active"])
    elif changes:
        # The whole service through the dashboard's form, so a partial update is checked
        # as a whole (e.g. a slug kept when an empty one is sent).
        form = ServiceForm(data=_service_form_data(service) | changes, instance=service)
        if not form.is_valid():
            raise _field_errors(form)
        services.update_service(service=service, user=request.user, **form.service_fields())
    return _as_stored(service)


@router.put(
    "/services/{int:service_id}/",
    auth=jwt_auth,
    response={
        200: ServiceOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        429: ErrorOut,
    },
    summary="Replace one of your services",
    description="The whole service, as for creation: every field of the create body, those "
    "left out taking their defaults (an empty slug keeps the current one). The same rules "
    "as create and PATCH; the service stays paused or listed as it was (PATCH "
    "`is_active` changes that). Customers get 403; another provider's service is 404.",
)
def replace_service(request, service_id: int, payload: ServiceIn):
    service = _own_service(request, service_id)
    form = ServiceForm(data=payload.dict() | {"is_active": service.is_active}, instance=service)
    if not form.is_valid():
        raise _field_errors(form)
    services.update_service(service=service, user=request.user, **form.service_fields())
    return _as_stored(service)


@router.delete(
    "/services/{int:service_id}/",
    auth=jwt_auth,
    response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 429: ErrorOut},
    summary="Delete one of your services",
    description="204 with no body. A service with bookings cannot be deleted (409): pause it "
    "instead. Customers get 403; another provider's service is 404.",
)
def delete_service(request, service_id: int):
    service = _own_service(request, service_id)
    services.delete_service(service=service, user=request.user)
    return Status(204, None)
