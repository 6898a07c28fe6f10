"""services.create_booking: a booking's price, time, reference and refusals; no double booking."""

import re
from datetime import date, time
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from accounts.models import VerificationStatus
from accounts.tests.factories import AdminFactory, CityFactory, ProviderFactory
from booking import selectors, services
from booking.models import REFERENCE_ALPHABET, Booking, BookingStatusHistory, new_booking_reference
from booking.services import BookingError, NotAllowed, SlotTaken
from catalog.models import PricingType

from .factories import BookingFactory, bookable_service, booking_input, hourly_service, local
from .helpers import TUESDAY_10, S, history

pytestmark = pytest.mark.django_db


def assert_nothing_written():
    assert Booking.objects.count() == 0
    assert BookingStatusHistory.objects.count() == 0


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
