"""The booking part of the JSON API: free slots, booking a service, a user's bookings and
their status changes.

Reads go through booking.selectors and writes through booking.services, so the API follows
the site's rules exactly. The domain errors become JSON by their kind (core/errors.py,
core/api/errors.py): SlotTaken is a 409 carrying the next free slots, NotYours a 403 (never
allowed for this person), NotNow a 409 (not now), any other BookingError a 400 naming its
field.
"""

import contextlib
import datetime as dt
import re
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Header, Query, Router, Status

from accounts.models import City
from accounts.selectors import resolve_city
from catalog import api as catalog_api
from catalog.models import Service
from catalog.selectors import public_services
from core.api import idempotency
from core.api.auth import jwt_auth
from core.api.errors import ErrorOut
from core.api.pagination import PageIn, paginated_queryset
from core.ratelimit import rate_limit

from . import ics, local_time, selectors, services
from .models import Booking, TimeOff, WeeklyAvailability
from .schemas import (
    PAGE_SIZE,
    BookingDetailOut,
    BookingFiltersIn,
    BookingIn,
    BookingPageOut,
    BookingRulesIn,
    BookingRulesOut,
    CalendarOut,
    DashboardOut,
    RescheduleIn,
    SlotsOut,
    SlotsQueryIn,
    SlotTakenOut,
    StatusChangeIn,
    TimeOffIn,
    TimeOffOut,
    TimeOffPageOut,
    WeeklyHoursIn,
    WeeklyHoursOut,
    WeeklyIntervalIn,
)
from .slots import slot_fields

router = Router(tags=["bookings"])

KEY_RULES = {
    "pattern": r"^[!-~]+$",
    "max_length": idempotency.MAX_KEY_LENGTH,
    "description": "Any 1 to 255 visible ASCII characters, new for each booking; a retry "
    "of the same request sends the same key.",
    "example": "3f1c9e2a-8b7d-4c6e-9a51-2d0f7b8e6c43",
}

CUSTOMERS_ONLY = "Only customer accounts can book services."
# No provider's schedule looks further ahead than this (ProviderSchedule.max_advance_days),
# so later dates are refused here with no loss. The slot finder must not see them: its day
# arithmetic overflows near 9999-12-31 (and near 0001-01-01, hence the past check too).
MAX_DAYS_AHEAD = 365
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _check_date(day: dt.date, *, zone, field: str) -> None:
    """Refuse a local date before the provider's today or past any booking horizon."""
    today = timezone.now().astimezone(zone).date()
    if day < today:
        raise ValidationError({field: [f"That date has passed; today is {today}."]})
    if (day - today).days > MAX_DAYS_AHEAD:
        raise ValidationError({field: [f"Bookings are taken at most {MAX_DAYS_AHEAD} days ahead."]})


# --- Free slots ----------------------------------------------------------------------


def _parse_date(value: str, field: str) -> dt.date:
    # Only YYYY-MM-DD: fromisoformat alone would also take 20260303 and 2026-W10-2.
    if ISO_DATE.fullmatch(value):
        with contextlib.suppress(ValueError):  # 2026-02-30
            return dt.date.fromisoformat(value)
    raise ValidationError({field: ["Enter a date as YYYY-MM-DD."]})


@router.get(
    "/services/{int:service_id}/slots/",
    response={200: SlotsOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="Free start times of a service on a date",
    description="The slots the site offers: the provider's working hours of that local date "
    "minus time off, minimum notice and active bookings (with the provider's buffer after "
    "each), for the service's usual duration. Send one back to POST /api/bookings/create/. "
    "A missing, malformed or past date is a 400 naming `date`; a service that is not listed "
    "(paused, or its provider not verified) is 404.",
)
def service_slots(request, service_id: int, query: Query[SlotsQueryIn]):
    service = get_object_or_404(public_services(), pk=service_id)
    day = _parse_date(query.date, "date")
    schedule = selectors.schedule_for(service.provider)
    _check_date(day, zone=schedule.zone, field="date")
    slots = selectors.free_slots(service=service, date=day)
    return {
        "service": service.pk,
        "date": day,
        "time_zone": schedule.time_zone,
        "slots": [slot_fields(slot) for slot in slots],
    }


def _next_free_slot(service: Service) -> dict | None:
    """The service's soonest free start as a slot, or None (GET /api/services/{id}/)."""
    starts = selectors.next_free_slots(service=service, after=timezone.now(), limit=1)
    return slot_fields(starts[0]) if starts else None


catalog_api.set_next_free_slot(_next_free_slot)


# --- Booking a service ---------------------------------------------------------------


def _bookable_service(service_id: int) -> Service:
    # Any service, not only listed ones: the service layer says why a paused service or
    # one of a provider not verified cannot be booked.
    # With what booking it needs (schedule, served cities) in the same reads.
    service = (
        Service.objects.select_related("provider__user", "provider__schedule")
        .prefetch_related("provider__cities")
        .filter(pk=service_id)
        .first()
    )
    if service is None:
        raise ValidationError({"service": ["There is no service with this id."]})
    return service


def _service_city(service: Service, value: str) -> City:
    """The City a client named by slug or name (accounts.selectors.resolve_city, as search
    does), preferring the ones the provider serves.

    A city the provider does not serve is returned all the same: the service layer refuses
    it and lists the cities they do serve.
    """
    return resolve_city(value, field="service_city", among=service.provider.cities.all())


def _detail(request, reference: str) -> Booking:
    """The booking with its history, if the caller may see it; 404 otherwise."""
    try:
        return selectors.booking_for_user(user=request.user, reference=reference)
    except Booking.DoesNotExist:
        raise Http404 from None


@router.post(
    "/bookings/create/",
    auth=jwt_auth,
    response={
        201: BookingDetailOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        409: SlotTakenOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    summary="Request a booking",
    description="For customers: requests one of the service's free slots (see "
    "/api/services/{id}/slots/) as a PENDING booking, with the price fixed now. "
    "`scheduled_date` and `scheduled_time` are local to the provider. The provider must "
    "serve `service_city`. A slot someone else took first is a 409 with `next_slots`; any "
    "other broken rule a 400 naming the field in `errors` (`starts_at` when the date and "
    "time together are the problem: outside working hours, too soon, too far ahead, on a "
    "day off). Providers and admins get 403. Limited to API_RATE_LIMIT_BOOKING_CREATE "
    "requests per user (50 an hour).\n\n"
    "**Retrying safely**: send an `Idempotency-Key` header (e.g. a UUID made for this "
    "booking). Sent again with the same key and the same body within 24 hours, the request "
    "answers the first 201 and its body again (header `Idempotent-Replayed: true`) and no "
    "second booking is made, even when both arrive at once; the same key with a different "
    "body is a 422. A refused request (400, 409) leaves the key unused.",
)
@rate_limit("API_RATE_LIMIT_BOOKING_CREATE")
def create_booking(
    request,
    payload: BookingIn,
    idempotency_key: Annotated[str | None, Header(alias=idempotency.HEADER, **KEY_RULES)] = None,
):
    if not request.user.is_customer:
        raise PermissionDenied(CUSTOMERS_ONLY)
    service = _bookable_service(payload.service)
    city = _service_city(service, payload.service_city)
    zone = selectors.schedule_for(service.provider, as_read=True).zone
    starts_at = _requested_start(payload, zone)
    key = idempotency.key_of(request)
    claim = None
    if key is not None:
        claim = idempotency.IdempotentRequest(
            scope="bookings.create",
            user_id=request.user.pk,
            key=key,
            data=payload.dict(),
            render=lambda booking: _as_answer(request, booking),
        )
    try:
        booking = services.create_booking(
            customer=request.user,
            service=service,
            starts_at=starts_at,
            service_address=payload.service_address,
            service_city=city,
            service_state=payload.service_state,
            service_postal_code=payload.service_postal_code,
            customer_notes=payload.customer_notes,
            estimated_duration_minutes=payload.estimated_duration_minutes,
            idempotency=claim,
        )
    except idempotency.Replayed as replay:
        return idempotency.answer(replay.status_code, replay.body, replayed=True)
    if claim is not None:
        return claim.response()
    # Answered from the row just written (its related rows and history are in hand).
    return Status(201, selectors.with_known_history(booking, booking.history_so_far))


def _as_answer(request, booking: Booking) -> dict:
    """The 201 body for a booking just written, as the operation would render it."""
    booking = selectors.with_known_history(booking, booking.history_so_far)
    return BookingDetailOut.model_validate(
        booking, context={"request": request, "response_status": 201}
    ).model_dump()


def _requested_start(payload: BookingIn, zone) -> dt.datetime:
    """The instant asked for: the provider's local `scheduled_date` and `scheduled_time`
    (a repeated hour is its first pass), or `starts_at` with its offset, or both when they
    name the same local time (then `starts_at` says which pass of a repeated hour)."""
    local = (payload.scheduled_date, payload.scheduled_time)
    if None in local:
        if payload.starts_at is None or local != (None, None):
            absent = {"scheduled_date": local[0], "scheduled_time": local[1]}
            raise ValidationError(
                {
                    name: ["Give scheduled_date and scheduled_time, or starts_at."]
                    for name, value in absent.items()
                    if value is None
                }
            )
        moment = payload.starts_at.astimezone(zone)
        _check_date(moment.date(), zone=zone, field="starts_at")
        return moment
    _check_date(payload.scheduled_date, zone=zone, field="scheduled_date")
    if payload.starts_at is None:
        return local_time.local_start(*local, zone)
    moment = payload.starts_at.astimezone(zone)
    if (moment.date(), moment.time().replace(fold=0)) != local:
        raise ValidationError(
            {
                "starts_at": [
                    f"starts_at is {moment:%Y-%m-%d %H:%M} in {zone}, not the scheduled_date "
                    f"and scheduled_time sent ({local[0]} {local[1]:%H:%M}); send one or "
                    "make them agree."
                ]
            }
        )
    return moment


# --- A user's bookings ---------------------------------------------------------------


@router.get(
    "/bookings/",
    auth=jwt_auth,
    response={200: BookingPageOut, 400: ErrorOut, 401: ErrorOut, 429: ErrorOut},
    summary="Your bookings",
    description="A customer's bookings, or a provider's (the jobs booked with them); admins "
    f"see every booking. {PAGE_SIZE} a page, latest start first unless `upcoming=true`. "
    "An unknown status, an `upcoming` other than true or false, or a page past the last "
    "one is a 400 naming the parameter; empty parameters are ignored.",
)
def list_bookings(request, filters: Query[BookingFiltersIn]):
    bookings = selectors.booking_list(
        user=request.user, status=filters.status, upcoming=filters.upcoming
    )
    return paginated_queryset(request, bookings, page=filters.page or 1, page_size=PAGE_SIZE)


@router.get(
    "/bookings/{booking_reference}/",
    auth=jwt_auth,
    response={200: BookingDetailOut, 401: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="One of your bookings",
    description="The booking with its history, oldest change first, and `allowed_actions`: "
    "the statuses you may move it to now and whether you may move it to another time. "
    "The reference is not case-sensitive. Someone else's booking is 404, exactly as one that "
    "does not exist.",
)
def get_booking(request, booking_reference: str):
    return _detail(request, booking_reference)


@router.post(
    "/bookings/{booking_reference}/status/",
    auth=jwt_auth,
    response={
        200: BookingDetailOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        429: ErrorOut,
    },
    summary="Confirm, decline, cancel, start or complete a booking",
    description="The site's rules: the provider confirms (CONFIRMED) or declines (REJECTED) "
    "a request, starts (IN_PROGRESS) and completes (COMPLETED) a confirmed job; the customer "
    "cancels (CANCELLED) a request, or a confirmed booking until the free-cancellation "
    "deadline; the provider cancels a confirmed job with a reason in `notes` (400 without "
    "one). A change the caller may never make is 403, one the booking's status or the clock "
    "rules out is 409, each with the reason; nothing changes. Someone else's booking is 404.",
)
def change_status(request, booking_reference: str, payload: StatusChangeIn):
    booking = _detail(request, booking_reference)
    services.transition_booking(
        booking=booking, to_status=payload.status, by=request.user, notes=payload.notes
    )
    return _detail(request, booking.booking_reference)


# --- Moving a booking, and its calendar entry ------------------------------------------


@router.post(
    "/bookings/{booking_reference}/reschedule/",
    auth=jwt_auth,
    response={
        200: BookingDetailOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: SlotTakenOut,
        429: ErrorOut,
    },
    summary="Move a booking to another free time",
    description="The site's rules: the customer or the provider moves a PENDING or CONFIRMED "
    "booking to one of the service's free slots (its own time does not block it); a "
    "customer may move a confirmed booking only until its free-cancellation deadline, and "
    "it then goes back to PENDING for the provider to accept. The new time is sent as for "
    "booking (`scheduled_date` and `scheduled_time`, or `starts_at`). A time someone else "
    "holds is a 409 with `next_slots`; a time that cannot be booked a 400 naming "
    "`starts_at`; a booking that cannot be moved now a 409, one this caller may never move "
    "a 403. Someone else's booking is 404. `allowed_actions.reschedule` says whether it "
    "may be moved.",
)
def reschedule_booking(request, booking_reference: str, payload: RescheduleIn):
    booking = _detail(request, booking_reference)
    zone = selectors.schedule_for(booking.provider).zone
    starts_at = _requested_start(payload, zone)
    services.reschedule_booking(
        booking=booking, starts_at=starts_at, by=request.user, notes=payload.notes
    )
    return _detail(request, booking.booking_reference)


@router.get(
    "/bookings/{booking_reference}/calendar/",
    auth=jwt_auth,
    response={200: CalendarOut, 401: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="The booking as a calendar entry (.ics)",
    description="The iCalendar text of the booking as one event (the file the site's "
    "booking page offers), in JSON so a client saves `ics` under `filename`; its STATUS is "
    "CONFIRMED once confirmed, TENTATIVE before. Someone else's booking is 404.",
)
def booking_calendar(request, booking_reference: str):
    booking = _detail(request, booking_reference)
    return {
        "filename": f"{booking.booking_reference}.ics",
        "content_type": "text/calendar",
        "ics": ics.calendar([booking], name=booking.booking_reference),
    }


# --- A provider's schedule: weekly hours, time off, booking rules, figures ---------------

PROVIDERS_ONLY = "Only providers have a schedule."
PROVIDER_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut}


def _provider(request):
    if not request.user.is_provider:
        raise PermissionDenied(PROVIDERS_ONLY)
    return request.user.provider_profile


def _weekly_hours(provider) -> dict:
    schedule = selectors.schedule_for(provider)
    intervals = WeeklyAvailability.objects.filter(provider=provider).order_by(
        "weekday", "start_time"
    )
    return {"time_zone": schedule.time_zone, "intervals": list(intervals)}


def _intervals(rows) -> list[tuple]:
    return [(row.weekday, row.start_time, row.end_time) for row in rows]


@router.get(
    "/me/availability/",
    auth=jwt_auth,
    response={200: WeeklyHoursOut, **PROVIDER_ERRORS},
    summary="Your weekly working hours",
    description="For providers: the intervals of the week slots are offered in, local to "
    "`time_zone`. Customers and admins get 403.",
    tags=["provider schedule"],
)
def get_weekly_hours(request):
    return _weekly_hours(_provider(request))


@router.put(
    "/me/availability/",
    auth=jwt_auth,
    response={200: WeeklyHoursOut, **PROVIDER_ERRORS},
    summary="Replace your weekly working hours",
    description="Every interval at once, as the availability page saves them: several a "
    "day, none overlapping, each ending after it starts (a 400 naming `intervals` "
    "otherwise, and nothing changes). Bookings already made are kept even if they now fall "
    "outside the hours.",
    tags=["provider schedule"],
)
def replace_weekly_hours(request, payload: WeeklyHoursIn):
    provider = _provider(request)
    services.set_weekly_availability(provider=provider, intervals=_intervals(payload.intervals))
    return _weekly_hours(provider)


@router.post(
    "/me/availability/intervals/",
    auth=jwt_auth,
    response={201: WeeklyHoursOut, **PROVIDER_ERRORS},
    summary="Add one working interval",
    description="Adds the interval to your weekly hours (the same checks as replacing "
    "them: a 400 for one overlapping another). Answers every interval.",
    tags=["provider schedule"],
)
def add_weekly_interval(request, payload: WeeklyIntervalIn):
    provider = _provider(request)
    current = WeeklyAvailability.objects.filter(provider=provider)
    services.set_weekly_availability(
        provider=provider, intervals=[*_intervals(current), *_intervals([payload])]
    )
    return Status(201, _weekly_hours(provider))


@router.delete(
    "/me/availability/intervals/{int:interval_id}/",
    auth=jwt_auth,
    response={200: WeeklyHoursOut, 404: ErrorOut, **PROVIDER_ERRORS},
    summary="Remove one working interval",
    description="Answers the intervals left. Another provider's interval is 404.",
    tags=["provider schedule"],
)
def remove_weekly_interval(request, interval_id: int):
    provider = _provider(request)
    current = list(WeeklyAvailability.objects.filter(provider=provider))
    if interval_id not in {row.pk for row in current}:
        raise Http404
    services.set_weekly_availability(
        provider=provider, intervals=_intervals(row for row in current if row.pk != interval_id)
    )
    return _weekly_hours(provider)


TIME_OFF_PAGE_SIZE = 50


@router.get(
    "/me/time-off/",
    auth=jwt_auth,
    response={200: TimeOffPageOut, **PROVIDER_ERRORS},
    summary="Your time off",
    description=f"Days off not over yet, soonest first, {TIME_OFF_PAGE_SIZE} a page.",
    tags=["provider schedule"],
)
def list_time_off(request, query: Query[PageIn]):
    provider = _provider(request)
    today = timezone.now().astimezone(selectors.schedule_for(provider).zone).date()
    upcoming = TimeOff.objects.filter(provider=provider, end_date__gte=today).order_by(
        "start_date", "pk"
    )
    return paginated_queryset(request, upcoming, page=query.page, page_size=TIME_OFF_PAGE_SIZE)


@router.post(
    "/me/time-off/",
    auth=jwt_auth,
    response={201: TimeOffOut, **PROVIDER_ERRORS},
    summary="Take time off",
    description="Blocks whole local days, both ends included: no slots are offered on them. "
    "Bookings already on those days are kept (answer each of them). A 400 names the field "
    "for an end before the start or time off already over.",
    tags=["provider schedule"],
)
def add_time_off(request, payload: TimeOffIn):
    provider = _provider(request)
    time_off = services.add_time_off(provider=provider, **payload.dict())
    return Status(201, time_off)


@router.delete(
    "/me/time-off/{int:time_off_id}/",
    auth=jwt_auth,
    response={204: None, 404: ErrorOut, **PROVIDER_ERRORS},
    summary="Cancel time off",
    description="204 with no body; another provider's time off is 404.",
    tags=["provider schedule"],
)
def remove_time_off(request, time_off_id: int):
    provider = _provider(request)
    time_off = get_object_or_404(TimeOff, pk=time_off_id, provider=provider)
    services.remove_time_off(provider=provider, time_off=time_off)
    return Status(204, None)


@router.get(
    "/me/booking-rules/",
    auth=jwt_auth,
    response={200: BookingRulesOut, **PROVIDER_ERRORS},
    summary="Your booking rules",
    description="Time zone, buffer, minimum notice, how far ahead, free cancellation and "
    "how long a request waits for your answer (the site's defaults until you change them).",
    tags=["provider schedule"],
)
def get_booking_rules(request):
    return selectors.schedule_for(_provider(request))


@router.put(
    "/me/booking-rules/",
    auth=jwt_auth,
    response={200: BookingRulesOut, **PROVIDER_ERRORS},
    summary="Replace your booking rules",
    description="Every rule at once; a 400 names each wrong one and nothing changes. Bookings "
    "already made keep the buffer and cancellation terms they were made with.",
    tags=["provider schedule"],
)
def replace_booking_rules(request, payload: BookingRulesIn):
    provider = _provider(request)
    with transaction.atomic():
        services.ensure_schedule(provider=provider)
        return services.update_schedule_settings(provider=provider, **payload.dict())


@router.get(
    "/me/dashboard/",
    auth=jwt_auth,
    response={200: DashboardOut, **PROVIDER_ERRORS},
    summary="Your dashboard's figures",
    description="Requests to answer, today's jobs (your local day), upcoming confirmed "
    "jobs, jobs completed in the last 30 days, your rating, and your services listed and "
    "paused. The lists themselves: GET /api/bookings/?status=PENDING, ?upcoming=true, and "
    "GET /api/me/services/.",
    tags=["provider schedule"],
)
def dashboard(request):
    provider = _provider(request)
    return selectors.provider_figures(provider=provider, schedule=selectors.schedule_for(provider))
