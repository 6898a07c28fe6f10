"""The booking rules as customers, providers and admins meet them through the service layer."""

import logging
import re
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from accounts.models import VerificationStatus
from accounts.tests.factories import (
    AdminFactory,
    CityFactory,
    CustomerFactory,
    ProviderFactory,
    SuperadminFactory,
)
from booking import selectors, services
from booking.models import (
    REFERENCE_ALPHABET,
    Booking,
    BookingStatus,
    BookingStatusHistory,
    ProviderSchedule,
    TimeOff,
    WeeklyAvailability,
    new_booking_reference,
)
from booking.services import BookingError, NotAllowed, SlotTaken
from catalog.models import PricingType
from catalog.tests.factories import ServiceFactory
from notifications.models import Notification, NotificationKind

from .factories import (
    BookingFactory,
    bookable_service,
    booking_input,
    hourly_service,
    local,
)

pytestmark = pytest.mark.django_db

S = BookingStatus
TUESDAY_10 = local(2026, 3, 3, 10)


def history(booking):
    return [
        (row.from_status, row.to_status, row.changed_by)
        for row in BookingStatusHistory.objects.filter(booking=booking).order_by("pk")
    ]


def assert_nothing_written():
    assert Booking.objects.count() == 0
    assert BookingStatusHistory.objects.count() == 0


# Creating a booking ---------------------------------------------------------------------------


def test_customer_books_a_free_slot_as_a_pending_request_with_a_price_snapshot(now):
    service = bookable_service(base_price=Decimal("120.00"), duration_minutes=90)
    fields = booking_input(service, TUESDAY_10)

    booking = services.create_booking(**fields)

    booking.refresh_from_db()
    assert booking.status == S.PENDING
    group = f"[{REFERENCE_ALPHABET}]{{4}}"
    assert re.fullmatch(f"BK-{group}-{group}", booking.booking_reference)
    assert (booking.starts_at, booking.ends_at) == (TUESDAY_10, local(2026, 3, 3, 11, 30))
    assert (booking.scheduled_date, booking.scheduled_time) == (date(2026, 3, 3), time(10))
    assert booking.estimated_duration_minutes == 90
    assert (booking.base_price, booking.pricing_type, booking.currency) == (
        Decimal("120.00"),
        PricingType.FIXED,
        "USD",
    )
    assert booking.estimated_total == Decimal("120.00")
    assert booking.customer_notes == "The gate code is 1234."
    assert history(booking) == [("", S.PENDING, fields["customer"])]
    assert TUESDAY_10 not in selectors.free_slots(service=service, date=date(2026, 3, 3))


def test_hourly_price_is_the_rate_times_the_estimated_hours_rounded_to_the_cent(now):
    service = hourly_service(base_price=Decimal("45.55"), duration_minutes=60)

    booking = services.create_booking(
        **booking_input(service, TUESDAY_10, estimated_duration_minutes=150)
    )

    assert booking.estimated_total == Decimal("113.88")  # 45.55 x 2.5 = 113.875
    assert booking.ends_at == local(2026, 3, 3, 12, 30)


def test_the_booking_keeps_its_price_when_the_service_price_changes(now):
    service = bookable_service(base_price=Decimal("80.00"))
    booking = services.create_booking(**booking_input(service, TUESDAY_10))

    service.base_price = Decimal("95.00")
    service.save()

    booking.refresh_from_db()
    assert (booking.base_price, booking.estimated_total) == (Decimal("80.00"), Decimal("80.00"))


def test_the_providers_buffer_is_held_after_the_job(now):
    service = bookable_service(buffer_minutes=30)

    booking = services.create_booking(**booking_input(service, TUESDAY_10))

    assert booking.blocked_until == local(2026, 3, 3, 11, 30)
    free = selectors.free_slots(service=service, date=date(2026, 3, 3))
    assert local(2026, 3, 3, 11) not in free
    assert local(2026, 3, 3, 11, 30) in free


def test_the_state_defaults_to_the_citys_state(now):
    service = bookable_service(city=CityFactory(name="Austin", state="TX"))

    booking = services.create_booking(**booking_input(service, TUESDAY_10, service_state=""))

    assert booking.service_state == "TX"


def test_references_look_like_bk_xxxx_xxxx_and_do_not_repeat():
    references = {new_booking_reference() for _ in range(2000)}

    assert len(references) == 2000
    assert all(
        re.fullmatch(r"BK-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}", r) for r in references
    )
    assert not set("01ILOU") & set("".join(references))


BAD_INPUT = [
    # (case, change the input, error, words the user reads, field at fault)
    ("past time", lambda s: {"starts_at": local(2026, 3, 2, 6)}, BookingError, "already passed", "starts_at"),
    ("before opening", lambda s: {"starts_at": local(2026, 3, 3, 7)}, BookingError, "isn't available", "starts_at"),
    ("after closing", lambda s: {"starts_at": local(2026, 3, 3, 16, 30)}, BookingError, "isn't available", "starts_at"),
    ("off the half-hour grid", lambda s: {"starts_at": local(2026, 3, 3, 10, 10)}, BookingError, "isn't available", "starts_at"),
    ("a Sunday", lambda s: {"starts_at": local(2026, 3, 8, 10)}, BookingError, "isn't available", "starts_at"),
    ("beyond the horizon", lambda s: {"starts_at": local(2026, 6, 1, 10)}, BookingError, "at most 60 days ahead", "starts_at"),
    ("unserved city", lambda s: {"service_city": CityFactory(name="Elsewhere")}, BookingError, "doesn't work in Elsewhere", "service_city"),
    ("notes too long", lambda s: {"customer_notes": "x" * 1001}, BookingError, "at most 1000 characters", "customer_notes"),
    ("no address", lambda s: {"service_address": "   "}, BookingError, "Please enter the address", "service_address"),
    ("no postal code", lambda s: {"service_postal_code": ""}, BookingError, "Please enter the postal code", "service_postal_code"),
    ("address too long", lambda s: {"service_address": "x" * 256}, BookingError, "at most 255 characters", "service_address"),
    ("fixed service, other duration", lambda s: {"estimated_duration_minutes": 120}, BookingError, "takes 60 minutes", "estimated_duration_minutes"),
    ("a provider books", lambda s: {"customer": ProviderFactory()}, NotAllowed, "Only customer accounts", None),
    ("an admin books", lambda s: {"customer": AdminFactory()}, NotAllowed, "Only customer accounts", None),
    ("the provider books their own service", lambda s: {"customer": s.provider.user}, NotAllowed, "Only customer accounts", None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "error", "words", "field"),
    [case[1:] for case in BAD_INPUT],
    ids=[case[0] for case in BAD_INPUT],
)
def test_bad_input_is_refused_with_a_clear_reason_and_nothing_written(
    now, change, error, words, field
):
    service = bookable_service()
    fields = booking_input(service, TUESDAY_10)
    fields |= change(service)

    with pytest.raises(error, match=words) as refused:
        services.create_booking(**fields)

    assert refused.value.field == field
    assert_nothing_written()


@pytest.mark.parametrize(
    ("minutes", "words"),
    [(70, "steps of 15 minutes"), (45, "between 60 minutes and 12 hours"), (13 * 60, "12 hours")],
)
def test_hourly_durations_come_in_quarter_hours_from_the_services_minimum(now, minutes, words):
    service = hourly_service(duration_minutes=60)

    with pytest.raises(BookingError, match=words):
        services.create_booking(
            **booking_input(service, TUESDAY_10, estimated_duration_minutes=minutes)
        )

    assert_nothing_written()


def test_a_duration_that_runs_past_closing_time_is_refused(now):
    service = hourly_service(duration_minutes=60)

    with pytest.raises(BookingError, match="isn't available for 180 minutes"):
        services.create_booking(
            **booking_input(service, local(2026, 3, 3, 15), estimated_duration_minutes=180)
        )

    assert_nothing_written()


def test_too_little_notice_names_the_earliest_possible_start(now):
    service = bookable_service(min_notice_hours=12)

    with pytest.raises(BookingError, match=r"at least 12 hours' notice.*Mon 2 Mar 2026, 19:00 CST"):
        services.create_booking(**booking_input(service, local(2026, 3, 2, 15)))

    assert_nothing_written()


def test_a_day_off_is_refused_by_name(now):
    service = bookable_service()
    services.add_time_off(
        provider=service.provider, start_date=date(2026, 3, 3), end_date=date(2026, 3, 3)
    )

    with pytest.raises(BookingError, match="is away on Tuesday 3 March"):
        services.create_booking(**booking_input(service, TUESDAY_10))

    assert_nothing_written()


def test_an_inactive_service_cannot_be_booked(now):
    service = bookable_service(is_active=False)

    with pytest.raises(BookingError, match="no longer offered"):
        services.create_booking(**booking_input(service, TUESDAY_10))

    assert_nothing_written()


def test_an_unverified_providers_service_cannot_be_booked(now):
    service = bookable_service()
    service.provider.verification_status = VerificationStatus.PENDING
    service.provider.save()

    with pytest.raises(BookingError, match="isn't taking bookings yet"):
        services.create_booking(**booking_input(service, TUESDAY_10))

    assert_nothing_written()


def test_a_taken_slot_is_refused_with_the_next_free_times(now):
    service = bookable_service(hours=[(1, time(9), time(13))])
    first = services.create_booking(**booking_input(service, TUESDAY_10))

    with pytest.raises(SlotTaken, match=r"just taken\..*Tue 3 Mar 2026, 11:00 CST") as taken:
        services.create_booking(**booking_input(service, local(2026, 3, 3, 10, 30)))

    assert taken.value.next_slots == [
        local(2026, 3, 3, 11),
        local(2026, 3, 3, 11, 30),
        local(2026, 3, 3, 12),
    ]
    assert list(Booking.objects.all()) == [first]


def test_when_two_requests_pass_the_recheck_the_database_still_says_taken(now, monkeypatch):
    service = bookable_service(hours=[(1, time(9), time(13))])
    first = services.create_booking(**booking_input(service, TUESDAY_10))
    # Pretend the re-check under the lock missed the first booking (as on a database
    # without the lock): the exclusion constraint must still turn it into SlotTaken.
    monkeypatch.setattr(selectors.SlotFinder, "problem_with", lambda self, starts_at: None)

    with pytest.raises(SlotTaken) as taken:
        services.create_booking(**booking_input(service, TUESDAY_10))

    assert taken.value.next_slots[0] == local(2026, 3, 3, 11)
    assert list(Booking.objects.all()) == [first]
    assert BookingStatusHistory.objects.count() == 1


def test_the_database_refuses_overlapping_active_bookings_of_one_provider(now):
    service = bookable_service()
    BookingFactory(service=service, starts_at=TUESDAY_10)

    with (
        pytest.raises(IntegrityError, match="booking_no_overlap_per_provider"),
        transaction.atomic(),
    ):
        BookingFactory(service=service, starts_at=local(2026, 3, 3, 10, 30))


def test_the_database_enforces_the_buffer_too(now):
    service = bookable_service()
    BookingFactory(service=service, starts_at=TUESDAY_10, blocked_until=local(2026, 3, 3, 11, 30))

    with (
        pytest.raises(IntegrityError, match="booking_no_overlap_per_provider"),
        transaction.atomic(),
    ):
        BookingFactory(service=service, starts_at=local(2026, 3, 3, 11, 15))


def test_the_database_lets_other_providers_and_closed_bookings_share_a_time(now):
    service = bookable_service()
    BookingFactory(service=service, starts_at=TUESDAY_10, status=S.CANCELLED)
    BookingFactory(service=service, starts_at=TUESDAY_10, status=S.REJECTED)
    BookingFactory(service=service, starts_at=TUESDAY_10)
    BookingFactory(starts_at=TUESDAY_10)  # another provider

    assert Booking.objects.filter(starts_at=TUESDAY_10).count() == 4


# The lifecycle -------------------------------------------------------------------------------

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
    now, from_status, to_status, actor
):
    # Status changes never look at working hours, so a plain service will do (and is quick).
    booking = BookingFactory(
        service=ServiceFactory(), status=from_status, starts_at=local(2026, 3, 5, 10)
    )
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
    services.transition_booking(booking=booking, to_status=S.IN_PROGRESS, by=provider)
    services.transition_booking(
        booking=booking, to_status=S.COMPLETED, by=provider, notes="Fixed the leak."
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
    services.transition_booking(booking=second, to_status=S.IN_PROGRESS, by=provider)

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

    # One notification per change, to the other side: the request to the provider, the
    # confirmation to the customer; the refused change notified nobody.
    assert [(n.recipient, n.kind) for n in Notification.objects.order_by("pk")] == [
        (service.provider.user, NotificationKind.BOOKING_REQUESTED),
        (booking.customer, NotificationKind.BOOKING_CONFIRMED),
    ]
    assert [r.getMessage() for r in caplog.records if r.name == "booking.services"] == [
        f"booking {booking.booking_reference}: new -> PENDING",
        f"booking {booking.booking_reference}: PENDING -> CONFIRMED",
    ]


# Expiry --------------------------------------------------------------------------------------


def test_expiry_picks_exactly_the_requests_nobody_answered_in_time(now):
    patient = bookable_service(pending_expiry_hours=48)
    hasty = bookable_service(pending_expiry_hours=2)

    def request(service, waited_hours, starts_at=TUESDAY_10, status=S.PENDING):
        return BookingFactory(
            service=service,
            status=status,
            starts_at=starts_at,
            status_changed_at=now - timedelta(hours=waited_hours),
        )

    waited_too_long = request(patient, 49, starts_at=local(2026, 3, 4, 10))
    still_waiting = request(patient, 47, starts_at=local(2026, 3, 5, 10))
    start_passed = request(patient, 3, starts_at=local(2026, 3, 2, 6, 30))
    answered = request(patient, 100, starts_at=local(2026, 3, 6, 10), status=S.CONFIRMED)
    short_limit_passed = request(hasty, 3)
    short_limit_not_yet = request(hasty, 1.5, starts_at=local(2026, 3, 4, 10))

    expired = services.expire_stale_requests()

    assert expired == 3
    statuses = {
        b.pk: b.status
        for b in Booking.objects.filter(
            pk__in=[
                waited_too_long.pk,
                still_waiting.pk,
                start_passed.pk,
                answered.pk,
                short_limit_passed.pk,
                short_limit_not_yet.pk,
            ]
        )
    }
    assert statuses == {
        waited_too_long.pk: S.EXPIRED,
        still_waiting.pk: S.PENDING,
        start_passed.pk: S.EXPIRED,
        answered.pk: S.CONFIRMED,
        short_limit_passed.pk: S.EXPIRED,
        short_limit_not_yet.pk: S.PENDING,
    }
    assert history(waited_too_long) == [(S.PENDING, S.EXPIRED, None)]
    assert waited_too_long.history.get().notes == "No answer from the provider within 48 hours."
    assert start_passed.history.get().notes == (
        "No answer from the provider before the requested time."
    )
    assert services.expire_stale_requests() == 0


def test_an_expired_request_frees_its_time(now):
    service = bookable_service(hours=[(1, time(10), time(11))], pending_expiry_hours=1)
    BookingFactory(
        service=service, starts_at=TUESDAY_10, status_changed_at=now - timedelta(hours=2)
    )

    services.expire_stale_requests()

    assert selectors.free_slots(service=service, date=date(2026, 3, 3)) == [TUESDAY_10]


# Rescheduling --------------------------------------------------------------------------------


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


# Schedules -----------------------------------------------------------------------------------


def test_weekly_hours_are_replaced_as_a_whole(now):
    service = bookable_service()

    services.set_weekly_availability(
        provider=service.provider,
        intervals=[(5, time(13), time(17)), (5, time(8), time(12))],
    )

    assert [
        (row.weekday, row.start_time, row.end_time)
        for row in WeeklyAvailability.objects.filter(provider=service.provider)
    ] == [(5, time(8), time(12)), (5, time(13), time(17))]


@pytest.mark.parametrize(
    ("intervals", "words"),
    [
        ([(0, time(9), time(12)), (0, time(11), time(14))], "Monday: 09:00–12:00 overlaps 11:00–14:00"),
        ([(2, time(12), time(9))], "Wednesday: 12:00–09:00 must end after it starts"),
        ([(2, time(9), time(9))], "must end after it starts"),
        ([(7, time(9), time(12))], "Monday to Sunday"),
    ],
)  # fmt: skip
def test_bad_weekly_hours_are_refused_and_the_old_hours_kept(now, intervals, words):
    service = bookable_service(hours=[(0, time(9), time(17))])

    with pytest.raises(BookingError, match=words):
        services.set_weekly_availability(provider=service.provider, intervals=intervals)

    assert [str(row) for row in WeeklyAvailability.objects.filter(provider=service.provider)] == [
        "Monday 09:00–17:00"
    ]


def test_time_off_must_end_on_or_after_its_start_and_not_be_over(now):
    provider = bookable_service().provider

    with pytest.raises(BookingError, match="must end on or after"):
        services.add_time_off(
            provider=provider, start_date=date(2026, 3, 5), end_date=date(2026, 3, 4)
        )
    with pytest.raises(BookingError, match="already over"):
        services.add_time_off(
            provider=provider, start_date=date(2026, 2, 1), end_date=date(2026, 3, 1)
        )

    assert not TimeOff.objects.exists()


def test_a_provider_can_remove_their_own_time_off_but_no_one_elses(now):
    mine = bookable_service().provider
    theirs = bookable_service().provider
    day_off = services.add_time_off(
        provider=theirs, start_date=date(2026, 3, 5), end_date=date(2026, 3, 5)
    )

    with pytest.raises(NotAllowed):
        services.remove_time_off(provider=mine, time_off=day_off)
    assert TimeOff.objects.filter(pk=day_off.pk).exists()

    services.remove_time_off(provider=theirs, time_off=day_off)
    assert not TimeOff.objects.filter(pk=day_off.pk).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"buffer_minutes": 500}, "buffer_minutes"),
        ({"max_advance_days": 0}, "max_advance_days"),
        ({"pending_expiry_hours": 0}, "pending_expiry_hours"),
    ],
)
def test_schedule_settings_are_checked_and_bad_ones_not_saved(now, change, field):
    provider = bookable_service().provider

    with pytest.raises(BookingError) as refused:
        services.update_schedule_settings(provider=provider, **change)

    assert refused.value.field == field
    schedule = ProviderSchedule.objects.get(provider=provider)
    assert (schedule.time_zone, schedule.buffer_minutes, schedule.max_advance_days) == (
        "America/Chicago",
        0,
        60,
    )


def test_a_new_schedule_uses_the_providers_own_time_zone_when_they_chose_one(now):
    provider = ProviderFactory().provider_profile
    provider.user.profile.time_zone = "America/Denver"
    provider.user.profile.save()
    provider.cities.add(CityFactory(time_zone="America/New_York"))

    schedule = services.ensure_schedule(provider=provider)

    assert schedule.time_zone == "America/Denver"


def test_otherwise_a_new_schedule_uses_the_time_zone_of_a_city_served(now):
    provider = ProviderFactory().provider_profile
    provider.cities.add(CityFactory(name="Seattle", time_zone="America/Los_Angeles"))

    schedule = services.ensure_schedule(provider=provider)

    assert schedule.time_zone == "America/Los_Angeles"
    assert (schedule.buffer_minutes, schedule.cancellation_free_hours) == (15, 24)
