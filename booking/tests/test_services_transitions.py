"""services.transition_booking: who may change a booking's status, when, and what is recorded."""

import logging

import pytest

from accounts.tests.factories import (
    AdminFactory,
    CustomerFactory,
    ProviderFactory,
    SuperadminFactory,
)
from booking import services
from booking.services import BookingError, NotAllowed
from catalog.tests.factories import ServiceFactory
from notifications.models import Notification, NotificationKind

from .factories import BookingFactory, bookable_service, booking_input, local
from .helpers import TUESDAY_10, S, history

pytestmark = pytest.mark.django_db


ACTORS = [
    "customer",
    "provider",
    "other customer",
    "other provider",
    "admin",
    "superadmin",
    "system",
]


STAFF = {"admin", "superadmin"}


# The rules restated from the issue, independently of services.TRANSITIONS.
ALLOWED = {
    (S.PENDING, S.CONFIRMED): {"provider"} | STAFF,
    (S.PENDING, S.REJECTED): {"provider"} | STAFF,
    (S.PENDING, S.CANCELLED): {"customer"} | STAFF,
    (S.PENDING, S.EXPIRED): {"system"},
    (S.CONFIRMED, S.IN_PROGRESS): {"provider"} | STAFF,
    (S.CONFIRMED, S.CANCELLED): {"customer", "provider"} | STAFF,
    (S.IN_PROGRESS, S.COMPLETED): {"provider"} | STAFF,
}


def _person(actor, booking):
    return {
        "customer": lambda: booking.customer,
        "provider": lambda: booking.provider.user,
        "other customer": CustomerFactory,
        "other provider": lambda: ProviderFactory(),
        "admin": AdminFactory,
        "superadmin": SuperadminFactory,
        "system": lambda: None,
    }[actor]()


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("to_status", list(S))
@pytest.mark.parametrize("from_status", list(S))
def test_every_status_change_is_allowed_exactly_to_the_right_people(
    now, time_machine, from_status, to_status, actor
):
    # Status changes never look at working hours, so a plain service will do (and is quick).
    booking = BookingFactory(
        service=ServiceFactory(), status=from_status, starts_at=local(2026, 3, 5, 10)
    )
    if to_status in (S.IN_PROGRESS, S.COMPLETED):
        # Work is started and completed when the job is on: who may do it is asked then.
        time_machine.move_to(local(2026, 3, 5, 10, 5), tick=False)
    person = _person(actor, booking)
    allowed = actor in ALLOWED.get((from_status, to_status), set())

    shown = to_status in services.allowed_transitions(booking, person)
    if allowed:
        services.transition_booking(
            booking=booking, to_status=to_status, by=person, notes="Change of plans"
        )
        booking.refresh_from_db()
        assert booking.status == to_status
        assert history(booking) == [(from_status, to_status, person)]
    else:
        with pytest.raises(NotAllowed):
            services.transition_booking(
                booking=booking, to_status=to_status, by=person, notes="Change of plans"
            )
        booking.refresh_from_db()
        assert booking.status == from_status
        assert history(booking) == []
    assert shown == allowed


def test_the_pages_show_each_person_only_the_buttons_they_may_press(now):
    booking = BookingFactory(starts_at=local(2026, 3, 5, 10))

    assert services.allowed_transitions(booking, booking.customer) == [S.CANCELLED]
    assert services.allowed_transitions(booking, booking.provider.user) == [S.CONFIRMED, S.REJECTED]
    assert services.allowed_transitions(booking, AdminFactory()) == [
        S.CONFIRMED,
        S.REJECTED,
        S.CANCELLED,
    ]
    assert services.allowed_transitions(booking, CustomerFactory()) == []


def test_a_refusal_says_who_may_do_it(now):
    booking = BookingFactory(starts_at=local(2026, 3, 5, 10))

    with pytest.raises(NotAllowed, match="Only the provider can confirm this booking"):
        services.transition_booking(booking=booking, to_status=S.CONFIRMED, by=booking.customer)
    with pytest.raises(NotAllowed, match="can't be marked completed"):
        services.transition_booking(
            booking=booking, to_status=S.COMPLETED, by=booking.provider.user
        )
    with pytest.raises(NotAllowed, match="You can't change this booking"):
        services.transition_booking(booking=booking, to_status=S.CANCELLED, by=CustomerFactory())


def test_refusals_tell_the_wrong_person_from_the_wrong_moment(now, time_machine):
    booking = BookingFactory(status=S.CONFIRMED, starts_at=TUESDAY_10)
    time_machine.move_to(local(2026, 3, 2, 12), tick=False)

    with pytest.raises(NotAllowed) as wrong_person:
        services.transition_booking(booking=booking, to_status=S.IN_PROGRESS, by=booking.customer)
    with pytest.raises(NotAllowed) as outsider:
        services.transition_booking(booking=booking, to_status=S.CANCELLED, by=CustomerFactory())
    with pytest.raises(NotAllowed) as too_late:
        services.transition_booking(booking=booking, to_status=S.CANCELLED, by=booking.customer)
    with pytest.raises(NotAllowed) as wrong_state:
        services.transition_booking(booking=booking, to_status=S.REJECTED, by=booking.provider.user)

    assert [e.value.forbidden for e in (wrong_person, outsider, too_late, wrong_state)] == [
        True,
        True,
        False,
        False,
    ]


def test_a_finished_booking_can_no_longer_change(now):
    booking = BookingFactory(status=S.COMPLETED, starts_at=local(2026, 3, 1, 10))

    with pytest.raises(NotAllowed, match="This booking is completed; it can no longer change"):
        services.transition_booking(booking=booking, to_status=S.CANCELLED, by=AdminFactory())


def test_an_unknown_status_is_refused(now):
    booking = BookingFactory()

    with pytest.raises(NotAllowed, match="“DONE” is not a booking status") as refused:
        services.transition_booking(booking=booking, to_status="DONE", by=booking.provider.user)

    assert refused.value.field == "status"


def test_customer_may_cancel_a_confirmed_job_until_the_free_cancellation_deadline(
    now, time_machine
):
    booking = BookingFactory(status=S.CONFIRMED, starts_at=TUESDAY_10)  # 24 h: Mon 10:00
    time_machine.move_to(local(2026, 3, 2, 9, 59), tick=False)

    services.transition_booking(booking=booking, to_status=S.CANCELLED, by=booking.customer)

    booking.refresh_from_db()
    assert booking.status == S.CANCELLED
    assert booking.cancelled_by == booking.customer


def test_customer_cannot_cancel_a_confirmed_job_after_the_deadline(now, time_machine):
    booking = BookingFactory(status=S.CONFIRMED, starts_at=TUESDAY_10)
    time_machine.move_to(local(2026, 3, 2, 10), tick=False)

    assert S.CANCELLED not in services.allowed_transitions(booking, booking.customer)
    with pytest.raises(
        NotAllowed, match="Free cancellation ended Mon 2 Mar 2026, 10:00 CST, 24 hours before"
    ):
        services.transition_booking(booking=booking, to_status=S.CANCELLED, by=booking.customer)

    booking.refresh_from_db()
    assert booking.status == S.CONFIRMED


def test_customer_may_cancel_a_request_up_to_its_start(now, time_machine):
    booking = BookingFactory(starts_at=TUESDAY_10)
    time_machine.move_to(local(2026, 3, 3, 9, 59), tick=False)

    services.transition_booking(booking=booking, to_status=S.CANCELLED, by=booking.customer)

    booking.refresh_from_db()
    assert booking.status == S.CANCELLED


def test_the_deadline_is_the_one_the_customer_booked_under(now):
    service = bookable_service(cancellation_free_hours=24)
    booking = services.create_booking(**booking_input(service, local(2026, 3, 4, 10)))
    services.transition_booking(booking=booking, to_status=S.CONFIRMED, by=service.provider.user)
    services.update_schedule_settings(provider=service.provider, cancellation_free_hours=72)

    services.transition_booking(booking=booking, to_status=S.CANCELLED, by=booking.customer)

    assert booking.status == S.CANCELLED


def test_provider_may_cancel_a_confirmed_job_late_but_must_say_why(now, time_machine):
    booking = BookingFactory(status=S.CONFIRMED, starts_at=TUESDAY_10)
    provider = booking.provider.user
    time_machine.move_to(local(2026, 3, 3, 9), tick=False)

    with pytest.raises(BookingError, match="tell the customer why") as no_reason:
        services.transition_booking(booking=booking, to_status=S.CANCELLED, by=provider)
    assert no_reason.value.field == "notes"
    services.transition_booking(
        booking=booking, to_status=S.CANCELLED, by=provider, notes="My van broke down."
    )

    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by, booking.cancellation_reason) == (
        S.CANCELLED,
        provider,
        "My van broke down.",
    )


def test_a_request_whose_time_has_passed_can_no_longer_be_confirmed(now, time_machine):
    booking = BookingFactory(starts_at=TUESDAY_10)
    time_machine.move_to(local(2026, 3, 3, 10), tick=False)

    with pytest.raises(NotAllowed, match="time has passed"):
        services.transition_booking(
            booking=booking, to_status=S.CONFIRMED, by=booking.provider.user
        )


def test_notes_longer_than_1000_characters_are_refused(now):
    booking = BookingFactory()

    with pytest.raises(BookingError, match="at most 1000 characters"):
        services.transition_booking(
            booking=booking, to_status=S.REJECTED, by=booking.provider.user, notes="x" * 1001
        )

    booking.refresh_from_db()
    assert booking.status == S.PENDING


def test_the_history_tells_the_whole_story_of_a_job(now):
    service = bookable_service()
    provider = service.provider.user
    booking = services.create_booking(**booking_input(service, TUESDAY_10))
    customer = booking.customer

    services.transition_booking(booking=booking, to_status=S.CONFIRMED, by=provider)
    services.transition_booking(
        booking=booking, to_status=S.IN_PROGRESS, by=provider, now=local(2026, 3, 3, 9, 55)
    )
    services.transition_booking(
        booking=booking,
        to_status=S.COMPLETED,
        by=provider,
        notes="Fixed the leak.",
        now=local(2026, 3, 3, 11),
    )

    assert history(booking) == [
        ("", S.PENDING, customer),
        (S.PENDING, S.CONFIRMED, provider),
        (S.CONFIRMED, S.IN_PROGRESS, provider),
        (S.IN_PROGRESS, S.COMPLETED, provider),
    ]
    assert booking.history.last().notes == "Fixed the leak."
    assert booking.status == S.COMPLETED  # the caller's instance is up to date


def test_completing_a_job_counts_it_once_for_the_service_and_the_provider(now):
    service = bookable_service()
    other_service = ServiceFactory(provider=service.provider)
    first = BookingFactory(service=service, status=S.IN_PROGRESS, starts_at=local(2026, 3, 2, 5))
    second = BookingFactory(service=service, status=S.CONFIRMED, starts_at=TUESDAY_10)
    provider = service.provider.user

    services.transition_booking(booking=first, to_status=S.COMPLETED, by=provider)
    # Arriving half an hour early is fine.
    services.transition_booking(
        booking=second, to_status=S.IN_PROGRESS, by=provider, now=local(2026, 3, 3, 9, 30)
    )

    service.refresh_from_db()
    service.provider.refresh_from_db()
    other_service.refresh_from_db()
    assert service.completed_bookings_count == 1
    assert service.provider.completed_bookings_count == 1
    assert other_service.completed_bookings_count == 0


def test_every_change_is_announced_once_and_only_after_commit(
    now, caplog, django_capture_on_commit_callbacks
):
    service = bookable_service()
    caplog.set_level(logging.INFO, logger="booking.services")

    with django_capture_on_commit_callbacks(execute=True):
        booking = services.create_booking(**booking_input(service, TUESDAY_10))
        with pytest.raises(NotAllowed):
            services.transition_booking(
                booking=booking, to_status=S.COMPLETED, by=service.provider.user
            )
        services.transition_booking(
            booking=booking, to_status=S.CONFIRMED, by=service.provider.user
        )

    # One notification per change, to the other side (and the customer's receipt of their
    # own request): the request to the provider, the confirmation to the customer; the
    # refused change notified nobody.
    assert [(n.recipient, n.kind) for n in Notification.objects.order_by("pk")] == [
        (service.provider.user, NotificationKind.BOOKING_REQUESTED),
        (booking.customer, NotificationKind.BOOKING_REQUEST_SENT),
        (booking.customer, NotificationKind.BOOKING_CONFIRMED),
    ]
    assert [r.getMessage() for r in caplog.records if r.name == "booking.services"] == [
        f"booking {booking.booking_reference}: new -> PENDING",
        f"booking {booking.booking_reference}: PENDING -> CONFIRMED",
    ]
