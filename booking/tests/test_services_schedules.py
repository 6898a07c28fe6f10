"""The schedule services: weekly hours, time off, schedule settings, a new provider's schedule."""

from datetime import date, time

import pytest

from accounts.tests.factories import CityFactory, ProviderFactory
from booking import services
from booking.models import ProviderSchedule, TimeOff, WeeklyAvailability
from booking.services import BookingError, NotAllowed

from .factories import bookable_service

pytestmark = pytest.mark.django_db


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
