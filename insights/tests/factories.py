"""Jobs with a real history, written through booking's services at the times asked."""

from datetime import time, timedelta

from booking import services as booking_services
from booking.models import BookingStatus
from booking.tests.factories import bookable_service, booking_input

ALL_DAY = [(day, time(0), time(23, 45)) for day in range(7)]


def provider_service(**kwargs):
    """A service of a Chicago provider who works every day, all day, booked with no notice."""
    kwargs.setdefault("hours", ALL_DAY)
    kwargs.setdefault("max_advance_days", 365)
    kwargs.setdefault("pending_expiry_hours", 24 * 7)
    return bookable_service(**kwargs)


def job(
    service,
    starts_at,
    *,
    requested=None,
    answer=None,
    answered_after=timedelta(minutes=30),
    finish=None,
    customer=None,
    **fields,
):
    """A booking of `service` at `starts_at`, requested a day before unless told, then taken
    to `answer` (CONFIRMED or REJECTED) `answered_after` later, and `finish`ed: COMPLETED at
    its end, CANCELLED by the customer, or IN_PROGRESS."""
    requested = requested or starts_at - timedelta(days=1)
    overrides = dict(fields)
    if customer is not None:
        overrides["customer"] = customer
    booking = booking_services.create_booking(
        **booking_input(service, starts_at, **overrides), now=requested
    )
    provider_user = service.provider.user
    if answer:
        booking = booking_services.transition_booking(
            booking=booking, to_status=answer, by=provider_user, now=requested + answered_after
        )
    if finish == BookingStatus.COMPLETED:
        booking = booking_services.transition_booking(
            booking=booking, to_status=BookingStatus.IN_PROGRESS, by=provider_user, now=starts_at
        )
        booking = booking_services.transition_booking(
            booking=booking,
            to_status=BookingStatus.COMPLETED,
            by=provider_user,
            now=booking.ends_at,
        )
    elif finish == BookingStatus.CANCELLED:
        booking = booking_services.transition_booking(
            booking=booking,
            to_status=BookingStatus.CANCELLED,
            by=booking.customer,
            notes="Plans changed.",
            now=requested + answered_after + timedelta(minutes=5),
        )
    return booking
