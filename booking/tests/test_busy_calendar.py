"""The day picker of a busy provider costs what a free one's does: each candidate start is
checked against the bookings by binary search, not against every booking of the range."""

import time as clock
from datetime import UTC, time, timedelta
from statistics import median

import pytest

from accounts.tests.factories import CustomerFactory
from booking import selectors
from booking.models import Booking, BookingStatus

from .factories import BookingFactory, bookable_service, local

pytestmark = pytest.mark.django_db

DAYS = 28


def _fill(service, count):
    """`count` confirmed 15-minute jobs, back to back around the clock over the next 28 days
    (with a 15-minute gap each, so some starts stay free)."""
    customer = CustomerFactory()
    first = local(2026, 3, 2, 8).astimezone(UTC)  # real half hours, across 8 March too
    rows = []
    for index in range(count):
        starts_at = first + timedelta(minutes=30 * index)
        booking = BookingFactory.build(
            service=service,
            customer=customer,
            status=BookingStatus.CONFIRMED,
            starts_at=starts_at,
            estimated_duration_minutes=15,
        )
        rows.append(booking)
    for index, booking in enumerate(rows):
        booking.booking_reference = f"BK-BUSY-{index:04d}"
    Booking.objects.bulk_create(rows)


def _picker_seconds(service):
    runs = []
    for _ in range(5):
        started = clock.perf_counter()
        selectors.bookable_dates(
            service=service, start=local(2026, 3, 2).date(), days=DAYS, duration_minutes=15
        )
        runs.append(clock.perf_counter() - started)
    return median(runs)


def test_the_busy_check_answers_the_same_as_comparing_every_booking(now):
    service = bookable_service(hours=[(day, time(0), time(23, 45)) for day in range(7)])
    _fill(service, 300)
    finder = selectors.SlotFinder(
        service=service,
        first_day=local(2026, 3, 2).date(),
        last_day=local(2026, 3, 9).date(),
        duration_minutes=15,
    )

    for day in finder.days():
        for start in finder._candidates(day):
            end = start + finder.blocked
            by_hand = any(b_start < end and start < b_end for b_start, b_end in finder.busy)
            assert finder._is_busy(start) == by_hand, start


def test_a_provider_with_2000_bookings_gets_a_day_picker_as_fast_as_a_free_one(now):
    hours = [(day, time(0), time(23, 45)) for day in range(7)]
    free, busy = bookable_service(hours=hours), bookable_service(hours=hours)
    _fill(busy, 2000)
    _picker_seconds(free), _picker_seconds(busy)  # warm both up

    free_seconds, busy_seconds = _picker_seconds(free), _picker_seconds(busy)

    # Loading 2,000 rows costs a little; comparing each of the 2,600 candidate starts with
    # each of them (as before) cost ~5 million comparisons, many times the free picker.
    assert busy_seconds < 3 * free_seconds + 0.02, (busy_seconds, free_seconds)
