"""The reviews part of the JSON API: review a finished booking, read a service's reviews.

Writes go through reviews.services and reads through reviews.selectors, as on the site.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from booking import selectors as booking_selectors
from booking.models import Booking
from catalog import selectors as catalog_selectors
from core.api.auth import jwt_auth
from core.api.errors import ErrorOut
from core.api.pagination import paginated

from . import conf, selectors, services
from .schemas import ReviewIn, ReviewListIn, ReviewOut, ReviewPageOut

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
    reviews = selectors.review_list(service=service, sort=filters.ordering, page=filters.page)
    page = reviews.page
    return paginated(
        request,
        page=filters.page,
        num_pages=page.paginator.num_pages,
        count=page.paginator.count,
        results=list(page.object_list),
    )
