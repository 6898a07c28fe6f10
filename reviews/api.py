"""The reviews part of the JSON API: review a finished booking, read a service's reviews.

Writes go through reviews.services and reads through reviews.selectors, as on the site.
"""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Query, Router, Status

from accounts.models import ServiceProviderProfile, VerificationStatus
from booking import selectors as booking_selectors
from booking.models import Booking
from catalog import selectors as catalog_selectors
from core.api.auth import jwt_auth
from core.api.errors import ErrorOut
from core.api.pagination import paginated

from . import conf, selectors, services
from .schemas import (
    PROVIDER_SERVICES_SHOWN,
    ProviderProfileOut,
    ReviewIn,
    ReviewListIn,
    ReviewOut,
    ReviewPageOut,
)

router = Router(tags=["reviews"])


@router.post(
    "/reviews/create/",
    auth=jwt_auth,
    response={
        201: ReviewOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        429: ErrorOut,
    },
    summary="Review one of your completed bookings",
    description="One review per booking, by its customer, once the job is COMPLETED. The "
    "service's and the provider's rating figures change at once and the provider is told. "
    "`booking` is the booking's `id` or its `booking_reference`. 404 for a booking you "
    "cannot see; 403 when you are not its customer (its provider, an "
    "admin); 409 when the booking is not completed yet or already has a review; 400 naming "
    "each bad field.",
)
def create_review(request, payload: ReviewIn):
    try:
        booking = booking_selectors.bookings_visible_to(request.user).get(
            **_booking_named(payload.booking)
        )
    except Booking.DoesNotExist:
        raise Http404("No such booking.") from None
    answers = payload.dict(exclude={"booking"})
    review = services.submit_review(booking=booking, customer=request.user, **answers)
    return Status(201, review)


def _booking_named(value: int | str) -> dict:
    """A lookup for the booking a client named by its numeric id (`1` or `"1"`) or its
    reference (any case)."""
    if isinstance(value, int):  # a string of digits is one already (ReviewIn)
        return {"pk": value}
    return {"booking_reference": value.strip().upper()}


@router.get(
    "/services/{int:service_id}/reviews/",
    response={200: ReviewPageOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="A service's reviews",
    description=f"The visible reviews of a listed service, {conf.PAGE_SIZE} a page, with "
    "the provider's replies. 404 when the service is not listed (paused, or its provider "
    "not verified); 400 for an unknown `ordering` or a page past the last one.",
)
def list_service_reviews(request, service_id: int, filters: Query[ReviewListIn]):
    service = get_object_or_404(
        catalog_selectors.public_services().select_related("rating_summary"), pk=service_id
    )
    return _review_page(request, filters, service=service)


# --- A provider's public profile -----------------------------------------------------


def _public_provider(slug: str) -> ServiceProviderProfile:
    """A verified provider with what their page shows; 404 otherwise, as on the site."""
    listed = catalog_selectors.public_services().order_by("-created_at")
    return get_object_or_404(
        ServiceProviderProfile.objects.select_related("user", "rating_summary").prefetch_related(
            "cities", Prefetch("services", queryset=listed, to_attr="listed_services")
        ),
        slug=slug,
        verification_status=VerificationStatus.VERIFIED,
    )


def _review_page(request, filters: ReviewListIn, **reviewed) -> dict:
    """One page of the reviews of a service or a provider (`reviewed`), as the API lists them."""
    reviews = selectors.review_list(**reviewed, sort=filters.ordering, page=filters.page)
    page = reviews.page
    return paginated(
        request,
        page=filters.page,
        num_pages=page.paginator.num_pages,
        count=page.paginator.count,
        results=list(page.object_list),
    )


@router.get(
    "/providers/{slug}/",
    response={200: ProviderProfileOut, 404: ErrorOut, 429: ErrorOut},
    summary="A provider's public profile",
    description="What the provider's page shows: their business, the cities they work in, "
    f"their rating figures, their listed services (newest first, at most "
    f"{PROVIDER_SERVICES_SHOWN}) and the first page of their reviews. 404 for a provider "
    "who is not verified, as on the site.",
    tags=["providers"],
)
def provider_profile(request, slug: str):
    provider = _public_provider(slug)
    # Every service in the answer names this provider: give them the instance in hand.
    for service in provider.listed_services:
        service.provider = provider
    provider.services_shown = provider.listed_services[:PROVIDER_SERVICES_SHOWN]
    first_page = _review_page(request, ReviewListIn(), provider=provider)
    if first_page["next"]:
        first_page["next"] = request.build_absolute_uri(
            reverse("api:list_provider_reviews", kwargs={"slug": slug}) + "?page=2"
        )
    provider.reviews_page = first_page
    provider.rating = selectors.rating_summary(provider=provider)
    return provider


@router.get(
    "/providers/{slug}/reviews/",
    response={200: ReviewPageOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="A provider's reviews",
    description=f"The visible reviews of a verified provider's services, {conf.PAGE_SIZE} a "
    "page, with their replies. 404 for a provider who is not verified; 400 for an unknown "
    "`ordering` or a page past the last one.",
    tags=["providers"],
)
def list_provider_reviews(request, slug: str, filters: Query[ReviewListIn]):
    provider = get_object_or_404(
        ServiceProviderProfile.objects.select_related("rating_summary"),
        slug=slug,
        verification_status=VerificationStatus.VERIFIED,
    )
    return _review_page(request, filters, provider=provider)
