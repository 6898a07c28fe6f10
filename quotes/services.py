"""Writes on quotes: requesting one, quoting (and changing the quote), declining,
withdrawing, accepting (which books through booking.services) and expiring.

Every function takes keyword arguments, runs in one transaction, locks the request's row
first (so two writes on one request are decided one after the other) and raises a
QuoteError whose message can be shown as is. Each change writes a QuoteEvent with the terms
as they stand after it, and notifies the other side (notifications' outbox sends the email
after commit).
"""

import secrets
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import City
from booking import selectors as booking_selectors
from booking import services as booking_services
from booking.models import DURATION_STEP_MINUTES, Booking
from catalog.models import MAX_DURATION_MINUTES, Service
from core import images
from core.storage import private_storage

from . import conf
from . import notifications as quote_notifications
from .errors import AlreadyAccepted, NotYourQuote, QuoteClosed, QuoteError
from .models import (
    DESCRIPTION_MAX_LENGTH,
    INCLUDED_MAX_LENGTH,
    MAX_PHOTOS,
    PREFERRED_TIMES_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TERM_FIELDS,
    QuoteEvent,
    QuoteEventKind,
    QuotePhoto,
    QuotePricing,
    QuoteRequest,
    QuoteStatus,
)

__all__ = ["AlreadyAccepted", "NotYourQuote", "QuoteClosed", "QuoteError"]

MAX_PRICE = Decimal("99999999.99")
MAX_ESTIMATED_HOURS = Decimal("999.99")


def _text(value, *, field: str, label: str, max_length: int, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise QuoteError(f"Please enter the {label}.", field=field)
    if len(value) > max_length:
        raise QuoteError(
            f"The {label} can be at most {max_length} characters ({len(value)} given).",
            field=field,
        )
    return value


def _record(quote_request, *, kind, from_status, by, at, notes="") -> QuoteEvent:
    return QuoteEvent.objects.create(
        quote_request=quote_request,
        kind=kind,
        from_status=from_status,
        to_status=quote_request.status,
        changed_by=by,
        changed_at=at,
        notes=notes,
        **quote_request.terms(),
    )


def _lock(quote_request: QuoteRequest) -> QuoteRequest:
    """The request's row, locked for this transaction and read afresh."""
    # Not the booking: a row joined to a locked one is read as of the statement's start, so
    # a second accept woken by the first one's commit would not see the booking it made.
    return (
        QuoteRequest.objects.select_for_update(of=("self",))
        .select_related("customer", "provider__user", "service", "city")
        .get(pk=quote_request.pk)
    )


def _refresh(stale: QuoteRequest, fresh: QuoteRequest) -> None:
    for field in fresh._meta.concrete_fields:
        setattr(stale, field.attname, getattr(fresh, field.attname))


def _provider_only(quote_request: QuoteRequest, user) -> None:
    if quote_request.provider.user_id != getattr(user, "pk", None):
        raise NotYourQuote("Only the provider who was asked can answer this request.")


def _change(quote_request, fresh, *, kind, to_status, by, now, notes="") -> QuoteRequest:
    from_status = fresh.status
    fresh.status = to_status
    if to_status != from_status:
        fresh.status_changed_at = now
    fresh.save()
    event = _record(fresh, kind=kind, from_status=from_status, by=by, at=now, notes=notes)
    quote_notifications.quote_changed(fresh, event=event)
    _refresh(quote_request, fresh)
    return quote_request


# --- Requesting -----------------------------------------------------------------------------


def _checked_photos(uploads) -> list:
    """The uploads judged (core.images), or a QuoteError naming `photos` with every problem."""
    try:
        return images.inspect_images(uploads, max_count=MAX_PHOTOS)
    except ValidationError as error:
        raise QuoteError(error.messages[0], field="photos") from None


def _store_photos(quote_request, uploads, inspected, saved: list) -> None:
    for position, (upload, found) in enumerate(zip(uploads, inspected, strict=True), start=1):
        cleaned = images.clean_image(upload)
        name = private_storage.save(
            f"quotes/photos/{secrets.token_urlsafe(24)}{found.type.extension}", cleaned
        )
        saved.append(name)
        QuotePhoto.objects.create(
            quote_request=quote_request,
            position=position,
            file_name=name,
            content_type=found.type.content_type,
            width=found.width,
            height=found.height,
        )


def request_quote(*, photos=(), **fields) -> QuoteRequest:
    """A new request for a quote on `service`, sent to its provider (REQUESTED), with up to
    MAX_PHOTOS photos, or raise; a refused request leaves no file behind."""
    uploads = list(photos)
    inspected = _checked_photos(uploads) if uploads else []
    saved: list[str] = []
    try:
        with transaction.atomic():
            quote_request = _request_quote(**fields)
            _store_photos(quote_request, uploads, inspected, saved)
    except BaseException:
        for name in saved:
            private_storage.delete(name)
        raise
    return quote_request


def _request_quote(
    *,
    customer,
    service: Service,
    description: str,
    city: City,
    preferred_times: str = "",
    now: datetime | None = None,
) -> QuoteRequest:
    if not customer.is_customer:
        raise NotYourQuote("Only customer accounts can request quotes.")
    if not service.is_active or not service.provider.is_verified:
        raise QuoteError("This service is not on offer.", field="service")
    if not service.takes_quote_requests:
        raise QuoteError(
            "This service is booked at its listed price; it does not take quote requests.",
            field="service",
        )
    description = _text(
        description,
        field="description",
        label="description of the job",
        max_length=DESCRIPTION_MAX_LENGTH,
        required=True,
    )
    preferred_times = _text(
        preferred_times,
        field="preferred_times",
        label="preferred days and times",
        max_length=PREFERRED_TIMES_MAX_LENGTH,
        required=False,
    )
    served = list(service.provider.cities.all())
    if city.pk not in {c.pk for c in served}:
        names = ", ".join(str(c) for c in served) or "no cities yet"
        raise QuoteError(
            f"{service.provider.display_name} doesn't work in {city}. They serve: {names}.",
            field="city",
        )
    now = now or timezone.now()
    quote_request = QuoteRequest.objects.create(
        customer=customer,
        provider=service.provider,
        service=service,
        description=description,
        city=city,
        preferred_times=preferred_times,
        currency=service.currency,
        status=QuoteStatus.REQUESTED,
        status_changed_at=now,
        created_at=now,
    )
    event = _record(
        quote_request, kind=QuoteEventKind.REQUESTED, from_status="", by=customer, at=now
    )
    quote_notifications.quote_changed(quote_request, event=event)
    return quote_request


# --- Quoting --------------------------------------------------------------------------------


def _decimal(value, *, field: str, label: str, maximum: Decimal) -> Decimal:
    try:
        amount = Decimal(str(value)) if value is not None and value != "" else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise QuoteError(f"Please enter the {label}.", field=field)
    if amount <= 0 or amount > maximum:
        raise QuoteError(f"The {label} must be more than 0 and at most {maximum}.", field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise QuoteError(f"Give the {label} to the cent at most.", field=field)
    return amount.quantize(Decimal("0.01"))


def _duration(minutes) -> int:
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise QuoteError("Give the duration in whole minutes.", field="duration_minutes")
    if minutes % DURATION_STEP_MINUTES or not 15 <= minutes <= MAX_DURATION_MINUTES:
        raise QuoteError(
            f"The job lasts 15 minutes to {MAX_DURATION_MINUTES // 60} hours, in steps of "
            f"{DURATION_STEP_MINUTES} minutes.",
            field="duration_minutes",
        )
    return minutes


def end_of_local_day(day: date, zone) -> datetime:
    """The instant `day` ends on `zone`'s clock: the first moment of the next local day
    (fold=0: where midnight is skipped, the moment the clocks jump; where it repeats, its
    first pass), in UTC."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)


def _terms(
    *, quote_request, pricing, price, estimated_hours, duration_minutes, included,
    valid_until, proposed_start, now,
) -> dict:  # fmt: skip
    if pricing not in QuotePricing.values:
        raise QuoteError("Choose a fixed price or an hourly rate.", field="pricing")
    price = _decimal(price, field="price", label="price", maximum=MAX_PRICE)
    if pricing == QuotePricing.HOURLY:
        estimated_hours = _decimal(
            estimated_hours,
            field="estimated_hours",
            label="estimated hours",
            maximum=MAX_ESTIMATED_HOURS,
        )
    else:
        estimated_hours = None
    duration_minutes = _duration(duration_minutes)
    included = _text(
        included,
        field="included",
        label="what is included",
        max_length=INCLUDED_MAX_LENGTH,
        required=True,
    )
    zone = booking_selectors.schedule_for(quote_request.provider).zone
    today = now.astimezone(zone).date()
    if not isinstance(valid_until, date) or isinstance(valid_until, datetime):
        raise QuoteError("Give the last day the quote is valid.", field="valid_until")
    if valid_until < today:
        raise QuoteError("The quote must be valid until today or later.", field="valid_until")
    if valid_until > today + timedelta(days=conf.MAX_VALIDITY_DAYS):
        raise QuoteError(
            f"A quote can be valid for at most {conf.MAX_VALIDITY_DAYS} days.",
            field="valid_until",
        )
    if proposed_start is not None:
        if timezone.is_naive(proposed_start):
            raise ValueError("proposed_start must be an aware datetime.")
        proposed_start = proposed_start.astimezone(UTC)
        day = proposed_start.astimezone(zone).date()
        problem = booking_selectors.SlotFinder(
            service=quote_request.service,
            first_day=day,
            last_day=day,
            now=now,
            duration_minutes=duration_minutes,
        ).problem_with(proposed_start)
        if problem is not None:
            raise QuoteError(problem.message, field="proposed_start")
    return {
        "pricing": pricing,
        "price": price,
        "estimated_hours": estimated_hours,
        "duration_minutes": duration_minutes,
        "included": included,
        "valid_until": valid_until,
        "proposed_start": proposed_start,
        "expires_at": end_of_local_day(valid_until, zone),
    }


@transaction.atomic
def send_quote(
    *,
    quote_request: QuoteRequest,
    by,
    pricing: str,
    price,
    duration_minutes: int,
    included: str,
    valid_until: date,
    estimated_hours=None,
    proposed_start: datetime | None = None,
    now: datetime | None = None,
) -> QuoteRequest:
    """The provider quotes a REQUESTED request (QUOTED), or changes the quote of a QUOTED one
    (its history keeps the old terms), or raise."""
    now = now or timezone.now()
    fresh = _lock(quote_request)
    _provider_only(fresh, by)
    if fresh.status not in (QuoteStatus.REQUESTED, QuoteStatus.QUOTED):
        raise QuoteClosed(f"This request is {fresh.get_status_display().lower()}.")
    if fresh.status == QuoteStatus.QUOTED and fresh.expires_at <= now:
        raise QuoteClosed("This quote has expired; it can no longer be changed.")
    terms = _terms(
        quote_request=fresh,
        pricing=pricing,
        price=price,
        estimated_hours=estimated_hours,
        duration_minutes=duration_minutes,
        included=included,
        valid_until=valid_until,
        proposed_start=proposed_start,
        now=now,
    )
    kind = (
        QuoteEventKind.QUOTED if fresh.status == QuoteStatus.REQUESTED else QuoteEventKind.CHANGED
    )
    if kind == QuoteEventKind.CHANGED and all(
        getattr(fresh, name) == terms[name] for name in TERM_FIELDS
    ):
        raise QuoteError("Nothing changed in the quote.", field="price")
    for name, value in terms.items():
        setattr(fresh, name, value)
    return _change(quote_request, fresh, kind=kind, to_status=QuoteStatus.QUOTED, by=by, now=now)


@transaction.atomic
def decline_quote_request(
    *, quote_request: QuoteRequest, by, reason: str, now: datetime | None = None
) -> QuoteRequest:
    """The provider declines a request (or their own open quote) with a reason, or raise."""
    now = now or timezone.now()
    fresh = _lock(quote_request)
    _provider_only(fresh, by)
    if fresh.status not in (QuoteStatus.REQUESTED, QuoteStatus.QUOTED):
        raise QuoteClosed(f"This request is {fresh.get_status_display().lower()}.")
    reason = _text(
        reason, field="reason", label="reason", max_length=REASON_MAX_LENGTH, required=True
    )
    fresh.decline_reason = reason
    fresh.expires_at = None
    return _change(
        quote_request,
        fresh,
        kind=QuoteEventKind.DECLINED,
        to_status=QuoteStatus.DECLINED,
        by=by,
        now=now,
        notes=reason,
    )


@transaction.atomic
def withdraw_quote(
    *, quote_request: QuoteRequest, by, reason: str = "", now: datetime | None = None
) -> QuoteRequest:
    """The provider takes back a quote not yet accepted (WITHDRAWN), or raise."""
    now = now or timezone.now()
    fresh = _lock(quote_request)
    _provider_only(fresh, by)
    if fresh.status != QuoteStatus.QUOTED:
        raise QuoteClosed(
            f"Only an open quote can be withdrawn; this request is "
            f"{fresh.get_status_display().lower()}."
        )
    reason = _text(
        reason, field="reason", label="reason", max_length=REASON_MAX_LENGTH, required=False
    )
    fresh.expires_at = None
    return _change(
        quote_request,
        fresh,
        kind=QuoteEventKind.WITHDRAWN,
        to_status=QuoteStatus.WITHDRAWN,
        by=by,
        now=now,
        notes=reason,
    )


# --- Accepting ------------------------------------------------------------------------------


def quoted_price(quote_request: QuoteRequest) -> booking_services.QuotedPrice:
    """The quote's terms as the booking's price snapshot."""
    return booking_services.QuotedPrice(
        reference=quote_request.reference,
        pricing_type=quote_request.pricing,
        base_price=quote_request.price,
        currency=quote_request.currency,
        estimated_total=quote_request.estimated_total,
        duration_minutes=quote_request.duration_minutes,
    )


def acceptance_blocker(quote_request: QuoteRequest, *, now: datetime | None = None) -> str | None:
    """Why this quote cannot be accepted now, or None."""
    now = now or timezone.now()
    if quote_request.status == QuoteStatus.REQUESTED:
        return "The provider has not quoted yet."
    if quote_request.status == QuoteStatus.QUOTED and quote_request.expires_at <= now:
        return "This quote has expired."
    if quote_request.status != QuoteStatus.QUOTED:
        return f"This quote is {quote_request.get_status_display().lower()}."
    return None


@transaction.atomic
def accept_quote(
    *,
    quote_request: QuoteRequest,
    customer,
    starts_at: datetime,
    service_address: str,
    service_postal_code: str,
    service_state: str = "",
    customer_notes: str = "",
    now: datetime | None = None,
) -> Booking:
    """Book the quoted job at `starts_at` (a free slot for its duration) at the quoted price,
    through booking.services.create_booking, and mark the quote ACCEPTED; or raise
    (SlotTaken with the next free times, AlreadyAccepted with the booking it made).

    The request's row is locked first: a second accept waits, then finds it accepted, so a
    quote makes one booking however many times it is accepted at once."""
    now = now or timezone.now()
    fresh = _lock(quote_request)
    if fresh.customer_id != customer.pk:
        raise NotYourQuote("Only the customer who asked can accept this quote.")
    if fresh.status == QuoteStatus.ACCEPTED:
        raise AlreadyAccepted(
            f"You already accepted this quote: booking {fresh.booking.booking_reference}.",
            booking=fresh.booking,
        )
    blocker = acceptance_blocker(fresh, now=now)
    if blocker:
        raise QuoteClosed(blocker)
    booking = booking_services.create_booking(
        customer=customer,
        service=fresh.service,
        starts_at=starts_at,
        service_address=service_address,
        service_city=fresh.city,
        service_state=service_state,
        service_postal_code=service_postal_code,
        customer_notes=customer_notes,
        quoted_price=quoted_price(fresh),
        now=now,
    )
    fresh.booking = booking
    fresh.expires_at = None
    _change(
        quote_request,
        fresh,
        kind=QuoteEventKind.ACCEPTED,
        to_status=QuoteStatus.ACCEPTED,
        by=customer,
        now=now,
        notes=booking.booking_reference,
    )
    return booking


# --- Expiring -------------------------------------------------------------------------------


def expire_due_quotes(*, now: datetime | None = None, batch: int = 500) -> int:
    """Every QUOTED request whose validity has ended becomes EXPIRED (each in its own
    transaction, re-checked under its lock, so an accept in between wins). Returns how many."""
    now = now or timezone.now()
    due = list(
        QuoteRequest.objects.filter(status=QuoteStatus.QUOTED, expires_at__lte=now)
        .order_by("expires_at")
        .values_list("pk", flat=True)[:batch]
    )
    expired = 0
    for pk in due:
        with transaction.atomic():
            fresh = _lock(QuoteRequest(pk=pk))
            if fresh.status != QuoteStatus.QUOTED or fresh.expires_at > now:
                continue
            _change(
                QuoteRequest(pk=pk),
                fresh,
                kind=QuoteEventKind.EXPIRED,
                to_status=QuoteStatus.EXPIRED,
                by=None,
                now=now,
            )
            expired += 1
    return expired
