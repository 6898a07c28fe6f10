"""services.reschedule_booking and can_reschedule: moving a booking to another time."""

from datetime import date

import pytest

from accounts.tests.factories import CustomerFactory
from booking import selectors, services
from booking.services import BookingError, NotAllowed, SlotTaken

from .factories import BookingFactory, bookable_service, local
from .helpers import TUESDAY_10, S, history

pytestmark = pytest.mark.django_db


def test_provider_moves_a_confirmed_job_to_another_free_time_and_it_stays_confirmed(now):
    service = bookable_service(buffer_minutes=15)
    booking = BookingFactory(service=service, status=S.CONFIRMED, starts_at=TUESDAY_10)
    provider = service.provider.user

    services.reschedule_booking(
        booking=booking, starts_at=local(2026, 3, 4, 14), by=provider, notes="Parts arrive Wed."
    )

    booking.refresh_from_db()
    assert (booking.status, booking.starts_at, booking.ends_at, booking.blocked_until) == (
        S.CONFIRMED,
        local(2026, 3, 4, 14),
        local(2026, 3, 4, 15),
        local(2026, 3, 4, 15, 15),
    )
    row = booking.history.get()
    assert (row.from_status, row.to_status, row.changed_by) == (S.CONFIRMED, S.CONFIRMED, provider)
    assert row.notes == (
        "Moved from Tue 3 Mar 2026, 10:00 CST to Wed 4 Mar 2026, 14:00 CST. Parts arrive Wed."
    )
    assert TUESDAY_10 in selectors.free_slots(service=service, date=date(2026, 3, 3))


def test_a_customer_moving_a_confirmed_job_sends_it_back_for_the_providers_answer(now):
    booking = BookingFactory(status=S.CONFIRMED, starts_at=local(2026, 3, 5, 10))

    services.reschedule_booking(
        booking=booking, starts_at=local(2026, 3, 5, 14), by=booking.customer
    )

    booking.refresh_from_db()
    assert booking.status == S.PENDING
    assert booking.status_changed_at == now  # the provider's time to answer starts again
    assert history(booking) == [(S.CONFIRMED, S.PENDING, booking.customer)]


def test_a_booking_may_move_into_time_overlapping_its_own(now):
    booking = BookingFactory(starts_at=TUESDAY_10)

    services.reschedule_booking(
        booking=booking, starts_at=local(2026, 3, 3, 10, 30), by=booking.customer
    )

    booking.refresh_from_db()
    assert booking.starts_at == local(2026, 3, 3, 10, 30)


def test_moving_onto_someone_elses_booking_says_taken_and_changes_nothing(now):
    service = bookable_service()
    booking = BookingFactory(service=service, starts_at=TUESDAY_10)
    BookingFactory(service=service, starts_at=local(2026, 3, 3, 14))

    with pytest.raises(SlotTaken) as taken:
        services.reschedule_booking(
            booking=booking, starts_at=local(2026, 3, 3, 14, 30), by=booking.customer
        )

    assert taken.value.next_slots[0] == local(2026, 3, 3, 15)
    booking.refresh_from_db()
    assert booking.starts_at == TUESDAY_10
    assert history(booking) == []


def test_moving_outside_working_hours_is_refused(now):
    booking = BookingFactory(starts_at=TUESDAY_10)

    with pytest.raises(BookingError, match="isn't available"):
        services.reschedule_booking(
            booking=booking, starts_at=local(2026, 3, 3, 20), by=booking.customer
        )

    booking.refresh_from_db()
    assert booking.starts_at == TUESDAY_10


@pytest.mark.parametrize("status", [S.REJECTED, S.CANCELLED, S.EXPIRED, S.IN_PROGRESS, S.COMPLETED])
def test_only_pending_and_confirmed_bookings_can_be_moved(now, status):
    booking = BookingFactory(status=status, starts_at=TUESDAY_10)

    assert not services.can_reschedule(booking, booking.provider.user)
    with pytest.raises(NotAllowed, match="can't be moved"):
        services.reschedule_booking(
            booking=booking, starts_at=local(2026, 3, 4, 10), by=booking.provider.user
        )


def test_customer_cannot_move_a_confirmed_job_after_the_free_cancellation_deadline(
    now, time_machine
):
    booking = BookingFactory(status=S.CONFIRMED, starts_at=TUESDAY_10)
    time_machine.move_to(local(2026, 3, 2, 11), tick=False)

    assert not services.can_reschedule(booking, booking.customer)
    assert services.can_reschedule(booking, booking.provider.user)
    with pytest.raises(NotAllowed, match="that was Mon 2 Mar 2026, 10:00 CST"):
        services.reschedule_booking(
            booking=booking, starts_at=local(2026, 3, 4, 10), by=booking.customer
        )


def test_nobody_else_can_move_a_booking(now):
    booking = BookingFactory(starts_at=TUESDAY_10)

    with pytest.raises(NotAllowed, match="You can't change this booking"):
        services.reschedule_booking(
            booking=booking, starts_at=local(2026, 3, 4, 10), by=CustomerFactory()
        )
