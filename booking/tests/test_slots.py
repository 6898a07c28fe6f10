"""Free slots, bookable dates and the dashboards' lists: what customers and providers see."""

from datetime import UTC, date, time, timedelta

import pytest

from accounts.tests.factories import AdminFactory, CustomerFactory
from booking import selectors, services
from booking.models import Booking, BookingStatus
from catalog.models import Service

from .factories import CHICAGO, BookingFactory, bookable_service, local

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)
TUESDAY = date(2026, 3, 3)


def wall_clock(slots):
    return [slot.astimezone(CHICAGO).strftime("%H:%M") for slot in slots]


def utc_clock(slots):
    return [slot.astimezone(UTC).strftime("%H:%M") for slot in slots]


def test_slots_start_every_half_hour_within_the_working_hours(now):
    service = bookable_service(hours=[(0, time(9), time(12))], duration_minutes=60)

    slots = selectors.free_slots(service=service, date=MONDAY)

    assert wall_clock(slots) == ["09:00", "09:30", "10:00", "10:30", "11:00"]
    assert slots[0] == local(2026, 3, 2, 9)
    assert utc_clock(slots[:1]) == ["15:00"]  # CST is UTC-6


def test_a_lunch_break_between_two_intervals_is_never_booked(now):
    service = bookable_service(
        hours=[(0, time(8), time(12)), (0, time(13), time(17))], duration_minutes=90
    )

    slots = wall_clock(selectors.free_slots(service=service, date=MONDAY))

    assert slots == [
        "08:00", "08:30", "09:00", "09:30", "10:00", "10:30",
        "13:00", "13:30", "14:00", "14:30", "15:00", "15:30",
    ]  # fmt: skip


def test_touching_intervals_count_as_one_stretch_of_work(now):
    service = bookable_service(
        hours=[(0, time(9), time(12)), (0, time(12), time(14))], duration_minutes=120
    )

    slots = wall_clock(selectors.free_slots(service=service, date=MONDAY))

    assert slots == ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "12:00"]


def test_a_day_without_working_hours_has_no_slots(now):
    service = bookable_service(hours=[(0, time(9), time(12))])

    assert selectors.free_slots(service=service, date=TUESDAY) == []


def test_time_off_closes_every_day_of_its_range_and_no_other(now):
    service = bookable_service()
    services.add_time_off(
        provider=service.provider,
        start_date=date(2026, 3, 3),
        end_date=date(2026, 3, 4),
        reason="Family visit",
    )

    open_days = [
        day
        for day in (date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4), date(2026, 3, 5))
        if selectors.free_slots(service=service, date=day)
    ]

    assert open_days == [date(2026, 3, 2), date(2026, 3, 5)]


def test_an_active_booking_and_the_buffers_keep_other_jobs_away(now):
    service = bookable_service(
        hours=[(0, time(9), time(13))], buffer_minutes=30, duration_minutes=60
    )
    BookingFactory(
        service=service,
        starts_at=local(2026, 3, 2, 10),
        blocked_until=local(2026, 3, 2, 11, 30),
    )

    slots = wall_clock(selectors.free_slots(service=service, date=MONDAY))

    # 9:00 would end at 10:00 but its own 30-minute buffer runs into the 10:00 job;
    # the 10:00 job's buffer keeps the provider free until 11:30. The last job may end at
    # closing time: its buffer only separates it from a next job.
    assert slots == ["11:30", "12:00"]


@pytest.mark.parametrize(
    "status",
    [
        BookingStatus.CANCELLED,
        BookingStatus.REJECTED,
        BookingStatus.EXPIRED,
        BookingStatus.COMPLETED,
    ],
)
def test_closed_bookings_give_their_time_back(now, status):
    service = bookable_service(hours=[(0, time(10), time(11))])
    BookingFactory(service=service, starts_at=local(2026, 3, 2, 10), status=status)

    assert wall_clock(selectors.free_slots(service=service, date=MONDAY)) == ["10:00"]


@pytest.mark.parametrize(
    "status", [BookingStatus.PENDING, BookingStatus.CONFIRMED, BookingStatus.IN_PROGRESS]
)
def test_pending_confirmed_and_running_bookings_hold_their_time(now, status):
    service = bookable_service(hours=[(0, time(10), time(12))])
    BookingFactory(service=service, starts_at=local(2026, 3, 2, 10), status=status)

    assert wall_clock(selectors.free_slots(service=service, date=MONDAY)) == ["11:00"]


def test_minimum_notice_hides_starts_that_come_too_soon(now):
    service = bookable_service(hours=[(0, time(9), time(12))], min_notice_hours=3)

    slots = wall_clock(selectors.free_slots(service=service, date=MONDAY))

    assert slots == ["10:00", "10:30", "11:00"]  # now is 7:00


def test_times_already_past_today_are_not_offered(now, time_machine):
    service = bookable_service(hours=[(0, time(9), time(12))])
    time_machine.move_to(local(2026, 3, 2, 10, 10), tick=False)

    assert wall_clock(selectors.free_slots(service=service, date=MONDAY)) == ["10:30", "11:00"]


def test_past_dates_have_no_slots(now):
    service = bookable_service()

    assert selectors.free_slots(service=service, date=date(2026, 2, 27)) == []


def test_nothing_is_offered_beyond_the_booking_horizon(now):
    service = bookable_service(max_advance_days=7)

    last_day = selectors.free_slots(service=service, date=date(2026, 3, 9))
    day_after = selectors.free_slots(service=service, date=date(2026, 3, 10))

    assert last_day
    assert day_after == []


def test_a_longer_estimated_duration_fits_fewer_starts(now):
    service = bookable_service(hours=[(0, time(9), time(12))])

    slots = selectors.free_slots(service=service, date=MONDAY, duration_minutes=120)

    assert wall_clock(slots) == ["09:00", "09:30", "10:00"]


def test_spring_forward_week_keeps_every_slot_at_its_local_time(now):
    every_day = [(day, time(9), time(11)) for day in range(7)]
    service = bookable_service(hours=every_day)
    week = [date(2026, 3, 5) + timedelta(days=n) for n in range(7)]  # Thu 5 - Wed 11 March

    by_day = {day: selectors.free_slots(service=service, date=day) for day in week}

    assert {day: wall_clock(slots) for day, slots in by_day.items()} == {
        day: ["09:00", "09:30", "10:00"] for day in week
    }
    # Clocks go forward on Sunday 8 March: 9:00 is 15:00 UTC before, 14:00 UTC after.
    assert [utc_clock(by_day[day])[0] for day in week] == [
        "15:00", "15:00", "15:00", "14:00", "14:00", "14:00", "14:00",
    ]  # fmt: skip


def test_fall_back_week_keeps_every_slot_at_its_local_time(now, time_machine):
    time_machine.move_to(local(2026, 10, 28, 7), tick=False)
    every_day = [(day, time(9), time(11)) for day in range(7)]
    service = bookable_service(hours=every_day)
    week = [date(2026, 10, 29) + timedelta(days=n) for n in range(7)]  # Thu 29 Oct - Wed 4 Nov

    by_day = {day: selectors.free_slots(service=service, date=day) for day in week}

    assert {day: wall_clock(slots) for day, slots in by_day.items()} == {
        day: ["09:00", "09:30", "10:00"] for day in week
    }
    # Clocks go back on Sunday 1 November: 9:00 is 14:00 UTC before, 15:00 UTC after.
    assert [utc_clock(by_day[day])[0] for day in week] == [
        "14:00", "14:00", "14:00", "15:00", "15:00", "15:00", "15:00",
    ]  # fmt: skip


def test_hours_across_the_spring_forward_gap_offer_only_times_that_exist(now):
    service = bookable_service(hours=[(6, time(0), time(5))])  # Sunday night shift

    slots = selectors.free_slots(service=service, date=date(2026, 3, 8))

    # 2:00-3:00 does not exist that night: four real hours, seven one-hour starts.
    assert [f"{s:%H:%M %Z}" for s in slots] == [
        "00:00 CST", "00:30 CST", "01:00 CST", "01:30 CST", "03:00 CDT", "03:30 CDT", "04:00 CDT",
    ]  # fmt: skip


def test_hours_across_the_fall_back_hour_offer_both_one_oclocks(now, time_machine):
    time_machine.move_to(local(2026, 10, 28, 7), tick=False)
    service = bookable_service(hours=[(6, time(0), time(3))])

    slots = selectors.free_slots(service=service, date=date(2026, 11, 1))

    # 1:00-2:00 happens twice that night: four real hours, seven distinct instants.
    assert [f"{s:%H:%M %Z}" for s in slots] == [
        "00:00 CDT", "00:30 CDT", "01:00 CDT", "01:30 CDT", "01:00 CST", "01:30 CST", "02:00 CST",
    ]  # fmt: skip
    assert len({s.astimezone(UTC) for s in slots}) == 7


def test_bookable_dates_are_the_days_with_at_least_one_free_slot(now):
    service = bookable_service(hours=[(day, time(9), time(10)) for day in range(5)])
    services.add_time_off(
        provider=service.provider, start_date=date(2026, 3, 4), end_date=date(2026, 3, 4)
    )
    BookingFactory(service=service, starts_at=local(2026, 3, 5, 9))  # Thursday is full

    dates = selectors.bookable_dates(service=service, start=MONDAY, days=7)

    assert dates == [date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 6)]


@pytest.mark.parametrize("days", [7, 60])
def test_bookable_dates_cost_the_same_few_queries_for_a_week_or_two_months(
    now, django_assert_num_queries, days
):
    service = bookable_service()
    BookingFactory(service=service, starts_at=local(2026, 3, 3, 9))
    services.add_time_off(
        provider=service.provider, start_date=date(2026, 3, 10), end_date=date(2026, 3, 12)
    )
    service = Service.objects.select_related("provider").get(pk=service.pk)

    # schedule, weekly hours, time off, bookings
    with django_assert_num_queries(4):
        dates = selectors.bookable_dates(service=service, start=MONDAY, days=days)

    assert date(2026, 3, 3) in dates
    assert date(2026, 3, 10) not in dates


def test_next_free_slots_skip_taken_times_and_days_off(now):
    service = bookable_service(hours=[(day, time(9), time(11)) for day in range(5)])
    BookingFactory(service=service, starts_at=local(2026, 3, 2, 10))
    services.add_time_off(
        provider=service.provider, start_date=date(2026, 3, 3), end_date=date(2026, 3, 3)
    )

    slots = selectors.next_free_slots(service=service, after=local(2026, 3, 2, 9, 30))

    assert slots == [local(2026, 3, 4, 9), local(2026, 3, 4, 9, 30), local(2026, 3, 4, 10)]


def test_next_free_slots_look_past_a_long_holiday(now):
    service = bookable_service()
    services.add_time_off(
        provider=service.provider, start_date=date(2026, 3, 2), end_date=date(2026, 3, 31)
    )

    slots = selectors.next_free_slots(service=service, after=now, limit=1)

    assert slots == [local(2026, 4, 1, 9)]


def test_rescheduling_offers_the_bookings_own_time_and_its_neighbours(now):
    service = bookable_service(hours=[(0, time(9), time(11))])
    booking = BookingFactory(service=service, starts_at=local(2026, 3, 2, 9, 30))

    for_others = selectors.free_slots(service=service, date=MONDAY)
    for_the_booking = selectors.free_slots(service=service, date=MONDAY, rescheduling=booking)

    assert for_others == []
    assert wall_clock(for_the_booking) == ["09:00", "09:30", "10:00"]


# Lists -------------------------------------------------------------------------------------


def test_customer_sees_upcoming_soonest_first_and_the_rest_most_recent_first(now):
    customer = CustomerFactory()
    service = bookable_service()

    def book(day, hour, status):
        return BookingFactory(
            service=service, customer=customer, starts_at=local(2026, 3, day, hour), status=status
        )

    next_week = book(9, 9, BookingStatus.CONFIRMED)
    tomorrow = book(3, 9, BookingStatus.PENDING)
    running_late = book(2, 5, BookingStatus.IN_PROGRESS)  # 5:00-6:00, still not completed
    cancelled = book(10, 9, BookingStatus.CANCELLED)
    last_week = BookingFactory(
        service=service,
        customer=customer,
        starts_at=local(2026, 2, 23, 9),
        status=BookingStatus.COMPLETED,
    )
    BookingFactory(service=service, starts_at=local(2026, 3, 4, 9))  # someone else's

    upcoming = list(selectors.customer_bookings(customer=customer))
    past = list(selectors.customer_bookings(customer=customer, upcoming=False))

    assert upcoming == [running_late, tomorrow, next_week]
    assert past == [cancelled, last_week]


def test_provider_sees_only_their_own_bookings_and_requests(now):
    service = bookable_service()
    request = BookingFactory(service=service, starts_at=local(2026, 3, 3, 9))
    confirmed = BookingFactory(
        service=service, starts_at=local(2026, 3, 3, 11), status=BookingStatus.CONFIRMED
    )
    BookingFactory(starts_at=local(2026, 3, 3, 9))  # another provider's

    assert list(selectors.provider_bookings(provider=service.provider)) == [request, confirmed]
    assert list(selectors.provider_requests(provider=service.provider)) == [request]


def test_dashboard_lists_fetch_what_a_row_shows_in_one_query(now, django_assert_num_queries):
    customer = CustomerFactory()
    for day in (3, 4, 5):
        BookingFactory(customer=customer, starts_at=local(2026, 3, day, 9))

    with django_assert_num_queries(1):
        rows = [
            (b.booking_reference, b.service.title, b.provider.display_name, b.service_city.name)
            for b in selectors.customer_bookings(customer=customer)
        ]

    assert len(rows) == 3


def test_provider_agenda_follows_the_providers_local_days(now):
    service = bookable_service(hours=[(0, time(20), time(23, 59))])
    late_monday = BookingFactory(
        service=service,
        starts_at=local(2026, 3, 2, 22, 30),  # Tuesday 04:30 in UTC
        status=BookingStatus.CONFIRMED,
    )
    BookingFactory(service=service, starts_at=local(2026, 3, 2, 20))  # a request, not a job

    monday = selectors.provider_agenda(provider=service.provider, start=MONDAY)
    tuesday = selectors.provider_agenda(provider=service.provider, start=TUESDAY)

    assert list(monday) == [late_monday]
    assert list(tuesday) == []


def test_a_booking_is_found_only_by_the_people_it_concerns(now):
    booking = BookingFactory()
    reference = booking.booking_reference.lower()

    assert selectors.booking_for_user(user=booking.customer, reference=reference) == booking
    assert selectors.booking_for_user(user=booking.provider.user, reference=reference) == booking
    assert selectors.booking_for_user(user=AdminFactory(), reference=reference) == booking
    other_booking = BookingFactory()
    for outsider in (CustomerFactory(), other_booking.provider.user):
        with pytest.raises(Booking.DoesNotExist):
            selectors.booking_for_user(user=outsider, reference=reference)


@pytest.mark.parametrize("day", [date(9999, 12, 31), date(1, 1, 1)])
def test_days_at_the_ends_of_the_calendar_have_no_slots(now, day):
    service = bookable_service(time_zone="Asia/Tokyo")

    assert selectors.free_slots(service=service, date=day) == []
