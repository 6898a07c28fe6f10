"""Shared by the booking test modules: the status alias, Tuesday 10:00 and a booking's history."""

from booking.models import BookingStatus, BookingStatusHistory

from .factories import local

S = BookingStatus
TUESDAY_10 = local(2026, 3, 3, 10)  # the `now` fixture is Monday 2 March 2026, 7:00 CST


def history(booking):
    return [
        (row.from_status, row.to_status, row.changed_by)
        for row in BookingStatusHistory.objects.filter(booking=booking).order_by("pk")
    ]
