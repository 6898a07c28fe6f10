"""Customers racing for the same time, on real PostgreSQL connections: never a double booking.

Each thread has its own database connection and all start together at a barrier, so the
requests genuinely overlap. `transaction=True` lets the threads see the committed set-up
(the flush at the end is made good for later tests by the suite's conftest).
"""

from datetime import time

import psycopg
import pytest
from django.db import IntegrityError, OperationalError

from accounts.tests.factories import CustomerFactory
from booking import services
from booking.models import Booking, BookingStatusHistory
from booking.services import SlotTaken
from tests.concurrency import race

from .factories import BookingFactory, bookable_service, booking_input, local

pytestmark = pytest.mark.django_db(transaction=True)

RACERS = 50
TUESDAY_10 = local(2026, 3, 3, 10)


def _deadlock(error):
    return isinstance(error, OperationalError) and isinstance(
        error.__cause__, psycopg.errors.DeadlockDetected
    )


def test_fifty_customers_racing_for_one_slot_get_one_booking_and_49_clean_refusals(now):
    service = bookable_service(hours=[(1, time(9), time(13))])
    customers = [CustomerFactory() for _ in range(RACERS)]

    def book(customer):
        return lambda: services.create_booking(
            **booking_input(service, TUESDAY_10, customer=customer)
        )

    results = race([book(customer) for customer in customers])

    winners = [r for r in results if isinstance(r, Booking)]
    refused = [r for r in results if isinstance(r, SlotTaken)]
    others = [r for r in results if not isinstance(r, Booking | SlotTaken)]
    assert others == []
    assert (len(winners), len(refused)) == (1, RACERS - 1)
    assert list(Booking.objects.values_list("pk", flat=True)) == [winners[0].pk]
    assert BookingStatusHistory.objects.count() == 1
    assert all(r.next_slots[0] == local(2026, 3, 3, 11) for r in refused)


def test_requests_colliding_only_through_the_buffer_still_get_one_booking(now):
    service = bookable_service(hours=[(1, time(9), time(13))], buffer_minutes=15)
    starts = [local(2026, 3, 3, 10), local(2026, 3, 3, 10, 30), local(2026, 3, 3, 11)]
    customers = [CustomerFactory() for _ in range(12)]

    def book(customer, starts_at):
        return lambda: services.create_booking(
            **booking_input(service, starts_at, customer=customer)
        )

    results = race([book(c, starts[i % len(starts)]) for i, c in enumerate(customers)])

    winners = [r for r in results if isinstance(r, Booking)]
    assert all(isinstance(r, Booking | SlotTaken) for r in results)
    # Each pair collides once the 15-minute buffer is counted (10:00-11:15, 10:30-11:45,
    # 11:00-12:15), so only one of the three times can be booked.
    assert len(winners) == 1
    assert Booking.objects.count() == 1


def test_the_database_alone_keeps_racing_writers_apart(now):
    service = bookable_service()
    customers = [CustomerFactory() for _ in range(20)]

    def insert(customer):
        # Straight to the table: no service layer, no lock, only the exclusion constraint.
        return lambda: BookingFactory(service=service, customer=customer, starts_at=TUESDAY_10)

    results = race([insert(customer) for customer in customers])

    assert sum(isinstance(r, Booking) for r in results) == 1
    # PostgreSQL refuses a loser in one of two ways: a constraint violation, or, when two
    # inserts each wait on the other's exclusion check, "deadlock detected" for one of them.
    refused = [r for r in results if isinstance(r, IntegrityError) or _deadlock(r)]
    assert len(refused) == len(results) - 1, [r for r in results if r not in refused]
    assert Booking.objects.count() == 1


def test_customers_of_different_providers_book_the_same_time_side_by_side(now):
    pairs = [(bookable_service(), CustomerFactory()) for _ in range(10)]

    results = race(
        [
            lambda service=service, customer=customer: services.create_booking(
                **booking_input(service, TUESDAY_10, customer=customer)
            )
            for service, customer in pairs
        ]
    )

    assert all(isinstance(r, Booking) for r in results)
    assert Booking.objects.filter(starts_at=TUESDAY_10).count() == 10
