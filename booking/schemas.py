"""Request and response bodies of the booking API, with the examples shown in the docs.

Times a person reads (`starts_at`, `ends_at`, slots) are given in the provider's time zone,
with its UTC offset, so `2026-03-03T10:00:00-06:00` reads as 10:00 where the job happens;
`scheduled_date` and `scheduled_time` are that same local date and time, the pair a
client sends back to book.
"""

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict, ValidationInfo, WithJsonSchema, field_validator

from accounts.models import City
from catalog.models import MAX_DURATION_MINUTES, PricingType
from core.api.text import InputSchema
from core.api.types import IsoDate, StrictInt

from . import services
from .models import (
    DURATION_STEP_MINUTES,
    NOTES_MAX_LENGTH,
    Booking,
    BookingStatus,
    booking_field_length,
)

# How the API writes a local time of day (slots too: slots.slot_fields).
from .slots import local_time

PAGE_SIZE = 20

# A local time of day as a client sends it: no date, no UTC offset (the provider's zone
# decides). The schema says so with a pattern, where `format: time` would admit offsets.
LOCAL_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


def _local_time_text(value):
    if isinstance(value, str) and not re.fullmatch(LOCAL_TIME_PATTERN, value):
        raise ValueError("Give a local time as HH:MM or HH:MM:SS, without a UTC offset.")
    return value


LocalTime = Annotated[
    dt.time,
    BeforeValidator(_local_time_text),
    WithJsonSchema({"type": "string", "pattern": LOCAL_TIME_PATTERN, "examples": ["10:00"]}),
]


# --- Slots ---------------------------------------------------------------------------

SLOT_EXAMPLES = [
    {
        "starts_at": "2026-03-03T09:00:00-06:00",
        "scheduled_date": "2026-03-03",
        "scheduled_time": "09:00",
    },
    {
        "starts_at": "2026-03-03T09:30:00-06:00",
        "scheduled_date": "2026-03-03",
        "scheduled_time": "09:30",
    },
]


class SlotOut(Schema):
    """A start time that can be booked: send its scheduled_date and scheduled_time."""

    starts_at: dt.datetime = Field(description="The instant, with the provider's UTC offset.")
    scheduled_date: dt.date = Field(description="The local date (the provider's).")
    scheduled_time: str = Field(description="The local time, HH:MM (the provider's).")

    model_config = ConfigDict(json_schema_extra={"examples": SLOT_EXAMPLES[:1]})


class SlotsOut(Schema):
    service: int = Field(description="The service's id.")
    date: dt.date = Field(description="The local date asked for.")
    time_zone: str = Field(description="The provider's time zone: slots are local to it.")
    slots: list[SlotOut] = Field(
        description="Free start times for the service's usual duration, soonest first; "
        "empty when the provider does not work that day, is away, is fully booked, or the "
        "date is beyond how far ahead they take bookings."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "service": 101,
                    "date": "2026-03-03",
                    "time_zone": "America/Chicago",
                    "slots": SLOT_EXAMPLES,
                }
            ]
        }
    )


class SlotsQueryIn(InputSchema):
    date: str = Field(
        description="A local date of the provider, YYYY-MM-DD, from today on.",
        max_length=10,
        json_schema_extra={"format": "date", "example": "2026-03-03"},
    )


# --- One booking ---------------------------------------------------------------------

SERVICE_SUMMARY_EXAMPLE = {
    "id": 101,
    "title": "Emergency leak repair",
    "slug": "emergency-leak-repair",
}
PROVIDER_SUMMARY_EXAMPLE = {"id": 5, "business_name": "Joe's Plumbing", "slug": "joes-plumbing"}
CUSTOMER_SUMMARY_EXAMPLE = {
    "id": 42,
    "first_name": "Rosa",
    "last_name": "Diaz",
    "email": "rosa@example.com",
    "phone": "+14155550123",
}
CITY_EXAMPLE = {"slug": "austin-tx", "name": "Austin", "state": "TX"}
BOOKING_EXAMPLE = {
    "id": 812,
    "booking_reference": "BK-7Q4K-9MZD",
    "status": "PENDING",
    "status_changed_at": "2026-03-02T13:05:00Z",
    "service": SERVICE_SUMMARY_EXAMPLE,
    "provider": PROVIDER_SUMMARY_EXAMPLE,
    "customer": CUSTOMER_SUMMARY_EXAMPLE,
    "starts_at": "2026-03-03T10:00:00-06:00",
    "ends_at": "2026-03-03T11:30:00-06:00",
    "time_zone": "America/Chicago",
    "scheduled_date": "2026-03-03",
    "scheduled_time": "10:00",
    "estimated_duration_minutes": 90,
    "service_address": "12 Elm Street, Apt 3",
    "service_city": CITY_EXAMPLE,
    "service_state": "TX",
    "service_postal_code": "78701",
    "customer_notes": "The gate code is 1234.",
    "base_price": "120.00",
    "pricing_type": "FIXED",
    "currency": "USD",
    "estimated_total": "120.00",
    "free_cancellation_until": "2026-03-02T10:00:00-06:00",
    "cancellation_reason": "",
    "created_at": "2026-03-02T13:05:00Z",
    "updated_at": "2026-03-02T13:05:00Z",
}
HISTORY_EXAMPLE = [
    {
        "from_status": None,
        "to_status": "PENDING",
        "changed_by": "customer",
        "changed_at": "2026-03-02T13:05:00Z",
        "notes": "",
    }
]
BOOKING_DETAIL_EXAMPLE = BOOKING_EXAMPLE | {
    "history": HISTORY_EXAMPLE,
    "allowed_actions": {"status": ["CANCELLED"], "reschedule": True},
}


class BookedServiceOut(Schema):
    id: int
    title: str
    slug: str

    model_config = ConfigDict(json_schema_extra={"examples": [SERVICE_SUMMARY_EXAMPLE]})


class BookedProviderOut(Schema):
    id: int
    business_name: str
    slug: str

    model_config = ConfigDict(json_schema_extra={"examples": [PROVIDER_SUMMARY_EXAMPLE]})

    @staticmethod
    def resolve_business_name(provider):
        return provider.display_name


class BookingCustomerOut(Schema):
    """The customer's contact details: shown only to them, the booking's provider and admins."""

    id: int
    first_name: str
    last_name: str
    email: str
    phone: str

    model_config = ConfigDict(json_schema_extra={"examples": [CUSTOMER_SUMMARY_EXAMPLE]})


class CityOut(Schema):
    slug: str
    name: str
    state: str

    model_config = ConfigDict(json_schema_extra={"examples": [CITY_EXAMPLE]})


class BookingOut(Schema):
    id: int = Field(
        description="The booking's number; a review may name the booking by it. URLs use "
        "the reference."
    )
    booking_reference: str = Field(description="BK-XXXX-XXXX; how the booking is addressed.")
    status: BookingStatus
    status_changed_at: dt.datetime
    service: BookedServiceOut
    provider: BookedProviderOut
    customer: BookingCustomerOut
    starts_at: dt.datetime = Field(description="With the offset of the booking's time zone.")
    ends_at: dt.datetime = Field(description="starts_at + estimated_duration_minutes.")
    time_zone: str = Field(description="The provider's time zone when booked.")
    scheduled_date: dt.date = Field(description="The local date of starts_at.")
    scheduled_time: str = Field(description="The local time of starts_at, HH:MM.")
    estimated_duration_minutes: int
    service_address: str
    service_city: CityOut
    service_state: str
    service_postal_code: str
    customer_notes: str
    base_price: Decimal = Field(description='The service\'s price when booked, e.g. "120.00".')
    pricing_type: PricingType = Field(description="FIXED: the job's price; HOURLY: per hour.")
    currency: str = Field(description="ISO 4217 code.")
    estimated_total: Decimal = Field(
        description="FIXED: the price; HOURLY: the price per hour x the estimated hours."
    )
    free_cancellation_until: dt.datetime | None = Field(
        description="The customer may cancel (or move) a confirmed booking until then; null "
        "when the booking was made less than the provider's free-cancellation period before "
        "its start, so free cancellation was never available for it."
    )
    cancellation_reason: str = Field(description="Empty unless the booking was cancelled.")
    created_at: dt.datetime
    updated_at: dt.datetime

    model_config = ConfigDict(json_schema_extra={"examples": [BOOKING_EXAMPLE]})

    @staticmethod
    def resolve_starts_at(booking):
        return booking.local_starts_at

    @staticmethod
    def resolve_ends_at(booking):
        return booking.local_ends_at

    @staticmethod
    def resolve_scheduled_time(booking):
        return local_time(booking.scheduled_time)

    @staticmethod
    def resolve_free_cancellation_until(booking):
        deadline = booking.free_cancellation_until
        return deadline and deadline.astimezone(booking.zone)


class HistoryEntryOut(Schema):
    from_status: BookingStatus | None = Field(description="null for the request itself.")
    to_status: BookingStatus
    changed_by: Literal["customer", "provider", "admin", "system"] = Field(
        description="Who made the change; `system` is the job that expires unanswered requests."
    )
    changed_at: dt.datetime
    notes: str = Field(description="The reason given, or what moved (for a new time).")

    model_config = ConfigDict(json_schema_extra={"examples": HISTORY_EXAMPLE})


class AllowedActionsOut(Schema):
    status: list[BookingStatus] = Field(
        description="The statuses the caller may move the booking to now (POST .../status/)."
    )
    reschedule: bool = Field(description="Whether the caller may move it to another time now.")

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"status": ["CONFIRMED", "REJECTED"], "reschedule": True}]}
    )


def _changed_by(booking: Booking, entry) -> str:
    if entry.changed_by_id is None:
        return "system"
    if entry.changed_by_id == booking.customer_id:
        return "customer"
    if entry.changed_by_id == booking.provider.user_id:
        return "provider"
    return "admin"


class BookingDetailOut(BookingOut):
    history: list[HistoryEntryOut] = Field(description="Every change, oldest first.")
    allowed_actions: AllowedActionsOut = Field(description="What the caller may do now.")

    model_config = ConfigDict(json_schema_extra={"examples": [BOOKING_DETAIL_EXAMPLE]})

    @staticmethod
    def resolve_history(booking):
        return [
            {
                "from_status": entry.from_status or None,
                "to_status": entry.to_status,
                "changed_by": _changed_by(booking, entry),
                "changed_at": entry.changed_at,
                "notes": entry.notes,
            }
            for entry in booking.history.all()
        ]

    @staticmethod
    def resolve_allowed_actions(booking, context):
        user = context["request"].user
        return {
            "status": services.allowed_transitions(booking, user),
            "reschedule": services.can_reschedule(booking, user),
        }


# --- Creating and changing -----------------------------------------------------------

BOOKING_IN_EXAMPLE = {
    "service": 101,
    "scheduled_date": "2026-03-03",
    "scheduled_time": "10:00",
    "estimated_duration_minutes": 90,
    "service_address": "12 Elm Street, Apt 3",
    "service_city": "austin-tx",
    "service_state": "TX",
    "service_postal_code": "78701",
    "customer_notes": "The gate code is 1234.",
}


class BookingIn(InputSchema):
    MULTILINE = frozenset({"customer_notes"})

    service: int = Field(description="The id of a listed service.")
    # Before the local date and time, so that their validators know whether it was sent.
    starts_at: dt.datetime | None = Field(
        None,
        description="Instead of (or with) scheduled_date and scheduled_time: the slot's "
        "`starts_at` as the slots list gives it, ISO 8601 with its UTC offset "
        "(`2026-11-01T01:30:00-06:00`). Sent with them, it must name the same local time.",
    )
    scheduled_date: dt.date | None = Field(
        None,
        validate_default=True,
        description="The provider's local date, YYYY-MM-DD (or send `starts_at`).",
    )
    scheduled_time: LocalTime | None = Field(
        None,
        validate_default=True,
        description="The provider's local time, HH:MM or HH:MM:SS: one of the slots of that date. On the "
        "night the clocks go back, a time that happens twice means its first pass; send "
        "`starts_at` to choose the second. A time skipped when the clocks go forward is a 400.",
    )
    estimated_duration_minutes: int | None = Field(
        None,
        description="Fixed-price services take their own duration (leave it out or send it). "
        f"Hourly ones: from the service's duration up to {MAX_DURATION_MINUTES // 60} hours, "
        f"in steps of {DURATION_STEP_MINUTES} minutes.",
    )
    service_address: str = Field(max_length=booking_field_length("service_address"))
    service_city: str = Field(
        # A slug or a name, at most as long as a city's slug (the longer of the two).
        max_length=City._meta.get_field("slug").max_length,
        description="A city the provider serves: its slug (`austin-tx`), or its name "
        "(`Austin`, or `Austin, TX` where two served cities share a name).",
    )
    service_state: str = Field(
        "",
        max_length=booking_field_length("service_state"),
        description="Empty: the city's state.",
    )
    service_postal_code: str = Field(max_length=booking_field_length("service_postal_code"))
    customer_notes: str = Field("", max_length=NOTES_MAX_LENGTH)

    model_config = ConfigDict(json_schema_extra={"examples": [BOOKING_IN_EXAMPLE]})

    @field_validator("scheduled_date", "scheduled_time")
    @classmethod
    def _given_unless_starts_at(cls, value, info: ValidationInfo):
        # Reported with every other missing field at once. A starts_at that failed its own
        # validation is absent from info.data: its error is enough.
        if value is None and "starts_at" in info.data and info.data["starts_at"] is None:
            raise ValueError("Give scheduled_date and scheduled_time, or starts_at.")
        return value

    @field_validator("scheduled_time")
    @classmethod
    def _local_time_only(cls, value: dt.time | None) -> dt.time | None:
        # An offset would be silently replaced by the provider's own: refuse it instead.
        if value is not None and value.tzinfo is not None:
            raise ValueError("Give the provider's local time, without a UTC offset.")
        return value

    @field_validator("starts_at")
    @classmethod
    def _instant_only(cls, value: dt.datetime | None) -> dt.datetime | None:
        # Without an offset it would be a local time again, which may happen twice.
        if value is not None and value.tzinfo is None:
            raise ValueError("Give the UTC offset too, e.g. 2026-11-01T01:30:00-06:00.")
        return value


class StatusChangeIn(InputSchema):
    MULTILINE = frozenset({"notes"})

    status: BookingStatus = Field(
        description="CONFIRMED or REJECTED (the provider answers a request), CANCELLED, "
        "IN_PROGRESS, COMPLETED; see allowed_actions for what the caller may do now."
    )
    notes: str = Field(
        "",
        max_length=NOTES_MAX_LENGTH,
        description="Shown to the other side; required when a provider cancels a confirmed job.",
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"status": "CONFIRMED", "notes": ""},
                {"status": "CANCELLED", "notes": "The van broke down; sorry."},
            ]
        }
    )


NEXT_SLOTS_EXAMPLE = [
    {
        "starts_at": "2026-03-03T11:00:00-06:00",
        "scheduled_date": "2026-03-03",
        "scheduled_time": "11:00",
    },
    {
        "starts_at": "2026-03-03T11:30:00-06:00",
        "scheduled_date": "2026-03-03",
        "scheduled_time": "11:30",
    },
]


class SlotTakenOut(Schema):
    detail: str
    next_slots: list[SlotOut] = Field(
        description="The next free start times after the one asked for (up to 3), soonest "
        "first; empty when there are none in the coming weeks."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "detail": "This time was just taken. The next free times are: "
                    "Tue 3 Mar 2026, 11:00 CST; Tue 3 Mar 2026, 11:30 CST.",
                    "next_slots": NEXT_SLOTS_EXAMPLE,
                }
            ]
        }
    )


# --- Lists ---------------------------------------------------------------------------


def _blank_is_none(value):
    # An empty parameter (`?status=`) is ignored, as in the catalog's search.
    return None if value == "" else value


class BookingFiltersIn(InputSchema):
    status: Annotated[BookingStatus | None, BeforeValidator(_blank_is_none)] = Field(
        None, description="Only bookings in this status.", json_schema_extra={"example": "PENDING"}
    )
    upcoming: Annotated[bool | None, BeforeValidator(_blank_is_none)] = Field(
        None,
        description="true: active bookings not over yet, soonest first; false: the rest "
        "(past, cancelled, declined, expired), latest first. Left out: all, latest first.",
        json_schema_extra={"example": True},
    )
    page: Annotated[int | None, BeforeValidator(_blank_is_none)] = Field(
        None,
        ge=1,
        description="1 (the default) to the last page.",
        json_schema_extra={"example": 2},
    )


class BookingPageOut(Schema):
    count: int = Field(description="Bookings matching the filters.")
    next: str | None = Field(description="Absolute URL of the next page, or null.")
    previous: str | None = Field(description="Absolute URL of the previous page, or null.")
    results: list[BookingOut] = Field(description=f"Up to {PAGE_SIZE} bookings.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "count": 23,
                    "next": "https://marketplace.example.com/api/bookings/?upcoming=true&page=2",
                    "previous": None,
                    "results": [BOOKING_EXAMPLE],
                }
            ]
        }
    )


# --- Moving a booking ----------------------------------------------------------------


class RescheduleIn(InputSchema):
    """The new time, as a booking gives it: the provider's local date and time, or a
    slot's `starts_at` (or both, naming the same local time)."""

    MULTILINE = frozenset({"notes"})

    starts_at: dt.datetime | None = Field(
        None, description="The new slot's `starts_at`, with its UTC offset."
    )
    scheduled_date: dt.date | None = Field(
        None, validate_default=True, description="The provider's local date, YYYY-MM-DD."
    )
    scheduled_time: LocalTime | None = Field(
        None, validate_default=True, description="The provider's local time, HH:MM[:SS]."
    )
    notes: str = Field(
        "", max_length=NOTES_MAX_LENGTH, description="Why it moves (kept in the history)."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"scheduled_date": "2026-03-04", "scheduled_time": "14:00", "notes": "Running late"}
            ]
        }
    )

    _given_unless_starts_at = field_validator("scheduled_date", "scheduled_time")(
        BookingIn._given_unless_starts_at.__func__
    )
    _local_time_only = field_validator("scheduled_time")(BookingIn._local_time_only.__func__)
    _instant_only = field_validator("starts_at")(BookingIn._instant_only.__func__)


# --- A provider's schedule -------------------------------------------------------------

WEEKDAY_HELP = "0 = Monday … 6 = Sunday."


class WeeklyIntervalIn(InputSchema):
    weekday: StrictInt = Field(ge=0, le=6, description=WEEKDAY_HELP)
    start_time: LocalTime = Field(description="Local time, HH:MM[:SS].")
    end_time: LocalTime = Field(description="Local time, after start_time.")

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"weekday": 5, "start_time": "09:00", "end_time": "13:00"}]}
    )

    _local_time_only = field_validator("start_time", "end_time")(
        BookingIn._local_time_only.__func__
    )


class WeeklyIntervalOut(Schema):
    id: int = Field(description="Changes whenever the hours are saved.")
    weekday: int = Field(description=WEEKDAY_HELP)
    start_time: str = Field(description="Local time, HH:MM.")
    end_time: str = Field(description="Local time, HH:MM.")

    @staticmethod
    def resolve_start_time(interval):
        return local_time(interval.start_time)

    @staticmethod
    def resolve_end_time(interval):
        return local_time(interval.end_time)


WEEKLY_EXAMPLE = [
    {"weekday": 0, "start_time": "09:00", "end_time": "12:00"},
    {"weekday": 0, "start_time": "13:00", "end_time": "17:00"},
    {"weekday": 2, "start_time": "09:00", "end_time": "17:00"},
]


class WeeklyHoursIn(InputSchema):
    intervals: list[WeeklyIntervalIn] = Field(
        max_length=7 * 24,
        description="Every working interval of the week; several a day, none overlapping. "
        "An empty list: no working hours (no slots are offered).",
    )

    model_config = ConfigDict(json_schema_extra={"examples": [{"intervals": WEEKLY_EXAMPLE}]})


class WeeklyHoursOut(Schema):
    time_zone: str = Field(description="The times are local to it.")
    intervals: list[WeeklyIntervalOut] = Field(description="By weekday, then start.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "time_zone": "America/Chicago",
                    "intervals": [
                        {"id": 11 + n, **interval} for n, interval in enumerate(WEEKLY_EXAMPLE)
                    ],
                }
            ]
        }
    )


class TimeOffIn(InputSchema):
    start_date: IsoDate = Field(description="The first local day off, YYYY-MM-DD.")
    end_date: IsoDate = Field(description="The last local day off (the same day for one).")
    reason: str = Field("", max_length=200, description="For you only; customers see nothing.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"start_date": "2026-03-23", "end_date": "2026-03-27", "reason": "Holiday"}
            ]
        }
    )


class TimeOffOut(Schema):
    id: int
    start_date: dt.date
    end_date: dt.date
    reason: str

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"id": 7, "start_date": "2026-03-23", "end_date": "2026-03-27", "reason": "Holiday"}
            ]
        }
    )


class TimeOffPageOut(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[TimeOffOut] = Field(description="Time off not over yet, soonest first.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "count": 1,
                    "next": None,
                    "previous": None,
                    "results": [
                        {
                            "id": 7,
                            "start_date": "2026-03-23",
                            "end_date": "2026-03-27",
                            "reason": "Holiday",
                        }
                    ],
                }
            ]
        }
    )


class CalendarOut(Schema):
    filename: str = Field(description="A name to save it under.")
    content_type: str = Field(description="text/calendar")
    ics: str = Field(description="The iCalendar text (RFC 5545), one VEVENT.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "filename": "BK-7Q4K-9MZD.ics",
                    "content_type": "text/calendar",
                    "ics": "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n...\r\nEND:VCALENDAR\r\n",
                }
            ]
        }
    )


BOOKING_RULES_EXAMPLE = {
    "time_zone": "America/Chicago",
    "buffer_minutes": 15,
    "min_notice_hours": 12,
    "max_advance_days": 60,
    "cancellation_free_hours": 24,
    "pending_expiry_hours": 48,
}


class BookingRulesIn(InputSchema):
    """Every rule at once (a replacement); bookings already made keep the buffer and
    cancellation terms they were made with."""

    time_zone: str = Field(max_length=64, description="An IANA zone, e.g. America/Chicago.")
    buffer_minutes: StrictInt = Field(ge=0, le=32767, description="Free time kept after each job.")
    min_notice_hours: StrictInt = Field(ge=0, le=32767, description="How soon a job may start.")
    max_advance_days: StrictInt = Field(ge=1, le=32767, description="How far ahead bookings go.")
    cancellation_free_hours: StrictInt = Field(
        ge=0,
        le=32767,
        description="Customers cancel a confirmed job for free until this long before it.",
    )
    pending_expiry_hours: StrictInt = Field(
        ge=1, le=32767, description="Unanswered requests expire after this long."
    )

    model_config = ConfigDict(json_schema_extra={"examples": [BOOKING_RULES_EXAMPLE]})


class BookingRulesOut(Schema):
    time_zone: str
    buffer_minutes: int
    min_notice_hours: int
    max_advance_days: int
    cancellation_free_hours: int
    pending_expiry_hours: int

    model_config = ConfigDict(json_schema_extra={"examples": [BOOKING_RULES_EXAMPLE]})


class DashboardOut(Schema):
    pending_requests: int = Field(description="Requests waiting for your answer.")
    jobs_today: int = Field(description="Confirmed or started jobs on your local today.")
    upcoming_jobs: int = Field(description="Confirmed jobs not started yet.")
    completed_last_30_days: int
    rating_average: Decimal = Field(description="0.00 to 5.00, as a string.")
    review_count: int
    listed_services: int
    paused_services: int
    time_zone: str

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "pending_requests": 3,
                    "jobs_today": 2,
                    "upcoming_jobs": 9,
                    "completed_last_30_days": 14,
                    "rating_average": "4.80",
                    "review_count": 25,
                    "listed_services": 4,
                    "paused_services": 1,
                    "time_zone": "America/Chicago",
                }
            ]
        }
    )
