"""The quotes API's inputs and answers."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict

from accounts.models import City
from booking.models import NOTES_MAX_LENGTH, booking_field_length
from booking.schemas import NEXT_SLOTS_EXAMPLE, SlotOut
from core.api.text import InputSchema

from .models import (
    DESCRIPTION_MAX_LENGTH,
    INCLUDED_MAX_LENGTH,
    PREFERRED_TIMES_MAX_LENGTH,
    REASON_MAX_LENGTH,
    QuoteEventKind,
    QuotePricing,
    QuoteStatus,
)

PAGE_SIZE = 20


def _blank_is_none(value):
    return None if value == "" else value


class QuoteRequestIn(InputSchema):
    MULTILINE = frozenset({"description", "preferred_times"})

    service: int = Field(description="The id of a listed service that takes quote requests.")
    description: str = Field(max_length=DESCRIPTION_MAX_LENGTH, description="The job.")
    city: str = Field(
        max_length=City._meta.get_field("slug").max_length,
        description="The address's city, one the provider serves: its slug or its name.",
    )
    preferred_times: str = Field(
        "", max_length=PREFERRED_TIMES_MAX_LENGTH, description="Preferred days and times."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "service": 12,
                    "description": "Retile a 2 x 3 m bathroom floor; old tiles to remove.",
                    "city": "austin-tx",
                    "preferred_times": "Weekday mornings",
                }
            ]
        }
    )


class QuoteIn(InputSchema):
    MULTILINE = frozenset({"included"})

    pricing: QuotePricing = Field(description="FIXED: `price` is the job's; HOURLY: per hour.")
    price: Decimal = Field(gt=0, max_digits=10, decimal_places=2)
    estimated_hours: Decimal | None = Field(
        None, gt=0, max_digits=5, decimal_places=2, description="Required for HOURLY."
    )
    duration_minutes: int = Field(
        ge=15, le=720, description="The time to book, 15 to 720 minutes in steps of 15."
    )
    included: str = Field(max_length=INCLUDED_MAX_LENGTH, description="What the price includes.")
    valid_until: dt.date = Field(
        description="The provider's local date the quote is valid through (up to "
        "QUOTES_MAX_VALIDITY_DAYS ahead, 60 by default)."
    )
    proposed_start: dt.datetime | None = Field(
        None,
        description="Optionally a free slot (ISO 8601 with its offset) for the quoted duration.",
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "pricing": "HOURLY",
                    "price": "60.00",
                    "estimated_hours": "3.5",
                    "duration_minutes": 210,
                    "included": "Removing the old tiles, adhesive, grout and clean-up.",
                    "valid_until": "2026-03-17",
                    "proposed_start": "2026-03-03T09:00:00-06:00",
                }
            ]
        }
    )


class ReasonIn(InputSchema):
    MULTILINE = frozenset({"reason"})

    reason: str = Field("", max_length=REASON_MAX_LENGTH)

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"reason": "Booked up until April, sorry."}]}
    )


class AcceptIn(InputSchema):
    MULTILINE = frozenset({"customer_notes"})

    starts_at: dt.datetime = Field(
        description="A free start for the quoted duration (see GET /api/services/{id}/slots/), "
        "ISO 8601 with its offset; the proposed one if still free."
    )
    service_address: str = Field(max_length=booking_field_length("service_address"))
    service_postal_code: str = Field(max_length=booking_field_length("service_postal_code"))
    service_state: str = Field("", max_length=booking_field_length("service_state"))
    customer_notes: str = Field("", max_length=NOTES_MAX_LENGTH)

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "starts_at": "2026-03-03T09:00:00-06:00",
                    "service_address": "12 Elm Street",
                    "service_postal_code": "78701",
                    "service_state": "TX",
                    "customer_notes": "The gate code is 1234.",
                }
            ]
        }
    )


class QuoteFiltersIn(InputSchema):
    status: Annotated[QuoteStatus | None, BeforeValidator(_blank_is_none)] = Field(
        None, description="Only requests in this status."
    )
    page: Annotated[int | None, BeforeValidator(_blank_is_none)] = Field(
        None, ge=1, le=2**31 - 1, description="1 (the default) to the last page."
    )


class QuoteEventOut(Schema):
    kind: QuoteEventKind
    from_status: str
    to_status: QuoteStatus
    changed_at: dt.datetime
    notes: str
    price: Decimal | None
    estimated_total: Decimal | None


class QuoteTermsOut(Schema):
    pricing: QuotePricing
    price: Decimal
    estimated_hours: Decimal | None
    estimated_total: Decimal
    currency: str
    duration_minutes: int
    included: str
    valid_until: dt.date
    expires_at: dt.datetime | None
    proposed_start: dt.datetime | None


QUOTE_EXAMPLE = {
    "reference": "Q-7YVG-B3JS",
    "status": "QUOTED",
    "service": 12,
    "provider": "Pipes & Tiles",
    "city": "austin-tx",
    "description": "Retile a 2 x 3 m bathroom floor; old tiles to remove.",
    "preferred_times": "Weekday mornings",
    "created_at": "2026-03-02T15:04:00Z",
    "quote": {
        "pricing": "HOURLY",
        "price": "60.00",
        "estimated_hours": "3.50",
        "estimated_total": "210.00",
        "currency": "USD",
        "duration_minutes": 210,
        "included": "Removing the old tiles, adhesive, grout and clean-up.",
        "valid_until": "2026-03-17",
        "expires_at": "2026-03-18T05:00:00Z",
        "proposed_start": "2026-03-03T15:00:00Z",
    },
    "decline_reason": "",
    "booking_reference": None,
}


class QuoteRequestOut(Schema):
    reference: str = Field(description="`Q-…`; the booking of an accepted quote names it.")
    status: QuoteStatus
    service: int = Field(alias="service_id")
    provider: str = Field(alias="provider.display_name")
    city: str = Field(alias="city.slug")
    description: str
    preferred_times: str
    created_at: dt.datetime
    quote: QuoteTermsOut | None = Field(description="Null until the provider quotes.")
    decline_reason: str
    booking_reference: str | None = Field(description="The booking an accepted quote made.")

    @staticmethod
    def resolve_quote(obj):
        if obj.price is None:
            return None
        return {
            **obj.terms(),
            "estimated_total": obj.estimated_total,
            "currency": obj.currency,
            "expires_at": obj.expires_at,
        }

    @staticmethod
    def resolve_booking_reference(obj):
        return obj.booking.booking_reference if obj.booking_id else None


class QuoteDetailOut(QuoteRequestOut):
    history: list[QuoteEventOut] = Field(description="Every change, oldest first.")

    @staticmethod
    def resolve_history(obj):
        return list(obj.history.all())

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **QUOTE_EXAMPLE,
                    "history": [
                        {
                            "kind": "REQUESTED",
                            "from_status": "",
                            "to_status": "REQUESTED",
                            "changed_at": "2026-03-02T15:04:00Z",
                            "notes": "",
                            "price": None,
                            "estimated_total": None,
                        },
                        {
                            "kind": "QUOTED",
                            "from_status": "REQUESTED",
                            "to_status": "QUOTED",
                            "changed_at": "2026-03-02T17:30:00Z",
                            "notes": "",
                            "price": "60.00",
                            "estimated_total": "210.00",
                        },
                    ],
                }
            ]
        }
    )


class QuotePageOut(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[QuoteRequestOut] = Field(description=f"Up to {PAGE_SIZE} requests.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"count": 1, "next": None, "previous": None, "results": [QUOTE_EXAMPLE]}]
        }
    )


class AcceptConflictOut(Schema):
    """Why a quote could not be accepted now (409): closed, accepted already (with the
    booking it made), or the time just taken (with the next free ones)."""

    detail: str
    booking_reference: str | None = Field(
        None, description="When the quote was accepted already: the booking it made."
    )
    next_slots: list[SlotOut] | None = Field(
        None, description="When someone else just took the time: the next free starts."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "detail": "This time was just taken. The next free times are: "
                    "Tue 3 Mar 2026, 11:00 CST; Tue 3 Mar 2026, 11:30 CST.",
                    "next_slots": NEXT_SLOTS_EXAMPLE,
                },
                {
                    "detail": "You already accepted this quote: booking BK-5F6H-6HR2.",
                    "booking_reference": "BK-5F6H-6HR2",
                },
            ]
        }
    )
