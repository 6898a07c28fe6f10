"""Quote requests and quotes in the JSON API: the site's rules through quotes.services.

A customer asks (POST /api/quotes/create/) and accepts (…/accept/, which books through
booking.services at the quoted price); the provider quotes or changes the quote (…/quote/),
declines (…/decline/) or withdraws (…/withdraw/). Someone else's request is 404; a change
this caller may never make is 403; one the status or the clock rules out is 409.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from accounts.selectors import resolve_city
from catalog.selectors import public_services
from core.api.auth import jwt_auth
from core.api.errors import ErrorOut
from core.api.pagination import paginated_queryset

from . import selectors, services
from .models import QuoteRequest
from .schemas import (
    PAGE_SIZE,
    AcceptConflictOut,
    AcceptIn,
    QuoteDetailOut,
    QuoteFiltersIn,
    QuoteIn,
    QuotePageOut,
    QuoteRequestIn,
    ReasonIn,
)

router = Router(tags=["quotes"])

ANSWERS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 429: ErrorOut}


def _visible(request, quote_reference: str) -> QuoteRequest:
    try:
        return selectors.quote_for_user(user=request.user, reference=quote_reference)
    except QuoteRequest.DoesNotExist:
        raise Http404("No such quote request.") from None


def _detail(request, quote_reference: str) -> QuoteRequest:
    return _visible(request, quote_reference)


@router.post(
    "/quotes/create/",
    auth=jwt_auth,
    response={201: QuoteDetailOut, **ANSWERS},
    summary="Request a quote",
    description="For customers: asks a service's provider for a quote (the service must be "
    "priced on quote or offer quotes). `city` must be one the provider serves. Providers and "
    "admins get 403; a broken rule is a 400 naming the field.",
)
def create_quote_request(request, payload: QuoteRequestIn):
    if not request.user.is_customer:
        raise PermissionDenied("Only customer accounts can request quotes.")
    service = get_object_or_404(public_services().select_related("provider"), pk=payload.service)
    city = resolve_city(payload.city, field="city", among=service.provider.cities.all())
    quote_request = services.request_quote(
        customer=request.user,
        service=service,
        description=payload.description,
        city=city,
        preferred_times=payload.preferred_times,
    )
    return Status(201, _detail(request, quote_request.reference))


@router.get(
    "/quotes/",
    auth=jwt_auth,
    response={200: QuotePageOut, 400: ErrorOut, 401: ErrorOut, 429: ErrorOut},
    summary="Your quote requests",
    description=f"A customer's requests, or a provider's (those sent to them); admins see "
    f"all. Newest first, {PAGE_SIZE} a page; `status` filters.",
)
def list_quote_requests(request, filters: Query[QuoteFiltersIn]):
    quotes = selectors.quote_list(user=request.user, status=filters.status)
    return paginated_queryset(request, quotes, page=filters.page or 1, page_size=PAGE_SIZE)


@router.get(
    "/quotes/{quote_reference}/",
    auth=jwt_auth,
    response={200: QuoteDetailOut, 401: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="One of your quote requests, with its quote and history",
)
def get_quote_request(request, quote_reference: str):
    return _detail(request, quote_reference)


@router.post(
    "/quotes/{quote_reference}/quote/",
    auth=jwt_auth,
    response={200: QuoteDetailOut, **ANSWERS},
    summary="Send or change a quote",
    description="For the provider asked: quotes a request, or changes an open quote (the "
    "history keeps the old terms). A closed request is 409.",
)
def send_quote(request, quote_reference: str, payload: QuoteIn):
    quote_request = _visible(request, quote_reference)
    services.send_quote(quote_request=quote_request, by=request.user, **payload.dict())
    return _detail(request, quote_reference)


@router.post(
    "/quotes/{quote_reference}/decline/",
    auth=jwt_auth,
    response={200: QuoteDetailOut, **ANSWERS},
    summary="Decline a quote request, with a reason",
)
def decline_quote_request(request, quote_reference: str, payload: ReasonIn):
    quote_request = _visible(request, quote_reference)
    services.decline_quote_request(
        quote_request=quote_request, by=request.user, reason=payload.reason
    )
    return _detail(request, quote_reference)


@router.post(
    "/quotes/{quote_reference}/withdraw/",
    auth=jwt_auth,
    response={200: QuoteDetailOut, **ANSWERS},
    summary="Withdraw an open quote",
)
def withdraw_quote(request, quote_reference: str, payload: ReasonIn):
    quote_request = _visible(request, quote_reference)
    services.withdraw_quote(quote_request=quote_request, by=request.user, reason=payload.reason)
    return _detail(request, quote_reference)


@router.post(
    "/quotes/{quote_reference}/accept/",
    auth=jwt_auth,
    response={200: QuoteDetailOut, **ANSWERS, 409: AcceptConflictOut},
    summary="Accept a quote: book a free time at the quoted price",
    description="For the customer who asked: books `starts_at` (a free start for the quoted "
    "duration) as a PENDING booking whose price snapshot is the quote's (its "
    "`quote_reference`). Declined, withdrawn, expired or unanswered: 409. Accepted already: "
    "409 with the booking's reference in `detail`; a quote books once. A time someone "
    "else holds: 409 with `next_slots`.",
)
def accept_quote(request, quote_reference: str, payload: AcceptIn):
    quote_request = _visible(request, quote_reference)
    services.accept_quote(quote_request=quote_request, customer=request.user, **payload.dict())
    return _detail(request, quote_reference)
