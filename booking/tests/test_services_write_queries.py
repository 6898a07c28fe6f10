"""How many queries refusing a booking's time takes, on each way it can be refused.

Creating and moving a booking share one skeleton (lock the schedule, re-check the slot,
write); these counts keep it from growing a query on any path. The successful writes are
left out: they also count the notifications app's queries.

A refusal rolls its transaction back (so an idempotency key claimed in it is not kept):
inside a test's transaction that is a ROLLBACK TO SAVEPOINT and a RELEASE (one statement
more than the RELEASE of a commit); in production one ROLLBACK instead of one COMMIT.
"""

import pytest

from booking import selectors, services
from booking.models import Booking
from booking.services import BookingError, SlotTaken

from .factories import BookingFactory, booking_input, local
from .helpers import TUESDAY_10, S

pytestmark = pytest.mark.django_db

WEDNESDAY_14 = local(2026, 3, 4, 14)


@pytest.fixture
def skip_the_recheck(monkeypatch):
    """Let a taken time past the re-check, so only the exclusion constraint stands in the way."""
    monkeypatch.setattr(selectors.SlotFinder, "problem_with", lambda self, starts_at: None)


@pytest.fixture
def confirmed_on_tuesday(service):
    """A confirmed job, read afresh as a page would (nothing related loaded yet)."""
    booking = BookingFactory(service=service, status=S.CONFIRMED, starts_at=TUESDAY_10)
    return Booking.objects.get(pk=booking.pk)


@pytest.mark.parametrize(
    ("taken_by", "starts_at", "refusal", "queries"),
    [
        ("a booking", TUESDAY_10, SlotTaken, 12),
        ("the constraint", TUESDAY_10, SlotTaken, 13),  # no read for a free reference (#17)
        (None, local(2026, 3, 3, 20), BookingError, 8),
    ],
    ids=["taken", "taken-past-the-recheck", "outside-working-hours"],
)
def test_a_refused_request_costs_a_fixed_number_of_queries(
    request, now, service, taken_by, starts_at, refusal, queries, django_assert_num_queries
):
    if taken_by:
        BookingFactory(service=service, status=S.CONFIRMED, starts_at=TUESDAY_10)
    if taken_by == "the constraint":
        request.getfixturevalue("skip_the_recheck")
    inputs = booking_input(service, starts_at)

    with django_assert_num_queries(queries), pytest.raises(refusal):
        services.create_booking(**inputs)

    assert Booking.objects.count() == (1 if taken_by else 0)


@pytest.mark.parametrize(
    ("taken_by", "starts_at", "refusal", "queries"),
    [
        ("a booking", WEDNESDAY_14, SlotTaken, 13),
        ("the constraint", WEDNESDAY_14, SlotTaken, 14),
        (None, local(2026, 3, 4, 20), BookingError, 9),
    ],
    ids=["taken", "taken-past-the-recheck", "outside-working-hours"],
)
def test_a_refused_move_costs_a_fixed_number_of_queries(
    request,
    now,
    service,
    confirmed_on_tuesday,
    taken_by,
    starts_at,
    refusal,
    queries,
    django_assert_num_queries,
):
    if taken_by:
        BookingFactory(service=service, status=S.CONFIRMED, starts_at=WEDNESDAY_14)
    if taken_by == "the constraint":
        request.getfixturevalue("skip_the_recheck")
    booking = confirmed_on_tuesday
    customer = booking.customer

    with django_assert_num_queries(queries), pytest.raises(refusal):
        services.reschedule_booking(booking=booking, starts_at=starts_at, by=customer)

    booking.refresh_from_db()
    assert booking.starts_at == TUESDAY_10
