"""Search's free days (booking.free_days) say what the booking steps offer: the same days,
until the same moment, after bookings, cancellations, hours, time off, notice, the nights
the clocks change, a lost enqueue and a provider's edits."""

from datetime import UTC, time, timedelta

import pytest
import redis
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from booking import free_days, selectors, services, tasks
from catalog import services as catalog_services
from catalog.models import FREE_DAYS_AHEAD, FreeDaysState, PricingType, ServiceFreeDay

from .factories import bookable_service, booking_input, local

pytestmark = pytest.mark.django_db

SUNDAY = 6


def stored(service):
    return {
        row.day: row.book_by
        for row in ServiceFreeDay.objects.filter(service=service).order_by("day")
    }


def offered(service, *, now=None):
    """What the booking steps offer: each free day, with its last start less the notice."""
    now = now or timezone.now()
    schedule = selectors.schedule_for(service.provider)
    today = now.astimezone(schedule.zone).date()
    notice = timedelta(hours=schedule.min_notice_hours)
    days = {}
    for offset in range(FREE_DAYS_AHEAD):
        day = today + timedelta(days=offset)
        slots = selectors.free_slots(service=service, date=day, now=now)
        if slots:
            days[day] = slots[-1].astimezone(UTC) - notice
    return days


def test_the_free_days_are_the_days_the_booking_steps_offer(time_machine):
    time_machine.move_to(local(2026, 12, 2, 12), tick=False)  # a Wednesday noon in Chicago
    service = bookable_service(
        min_notice_hours=2, buffer_minutes=15, duration_minutes=90, pricing_type=PricingType.HOURLY
    )
    services.add_time_off(
        provider=service.provider,
        start_date=local(2026, 12, 8).date(),
        end_date=local(2026, 12, 9).date(),
    )
    # The whole of Friday taken: 9:00-17:00 in one booking.
    friday = local(2026, 12, 4, 9)
    services.create_booking(
        **booking_input(service, friday), estimated_duration_minutes=8 * 60 - 15
    )

    free_days.refresh(service.provider_id)

    days = stored(service)
    assert days == offered(service)
    assert local(2026, 12, 2).date() in days  # this afternoon still has 15:30 (notice 2 h)
    assert local(2026, 12, 4).date() not in days  # booked solid
    assert local(2026, 12, 8).date() not in days  # time off
    assert local(2026, 12, 6).date() not in days  # Sunday: no hours
    assert days[local(2026, 12, 3).date()] == local(2026, 12, 3, 13, 30)  # 15:30 less 2 h


@pytest.mark.parametrize("night", [(2026, 3, 8), (2026, 11, 1)], ids=["spring", "fall"])
def test_the_nights_the_clocks_change_keep_the_same_free_days(time_machine, night):
    friday = local(*night) - timedelta(days=2)
    time_machine.move_to(friday, tick=False)
    service = bookable_service(hours=[(SUNDAY, time(0), time(6))], duration_minutes=120)

    free_days.refresh(service.provider_id)

    sunday = local(*night).date()
    assert stored(service) == offered(service)
    assert sunday in stored(service)


def test_a_booking_that_takes_the_last_slot_removes_the_day_and_cancelling_brings_it_back(
    time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(local(2026, 12, 2, 8), tick=False)
    service = bookable_service(hours=[(3, time(9), time(10))], duration_minutes=60)  # Thursdays
    free_days.refresh(service.provider_id)
    thursday = local(2026, 12, 3).date()
    assert thursday in stored(service)

    with django_capture_on_commit_callbacks(execute=True):  # the refresh runs on commit
        booking = services.create_booking(**booking_input(service, local(2026, 12, 3, 9)))
    assert thursday not in stored(service)

    with django_capture_on_commit_callbacks(execute=True):
        services.transition_booking(
            booking=booking, to_status="CANCELLED", by=booking.customer, notes="Plans changed"
        )
    assert thursday in stored(service)


def test_a_day_stops_counting_once_its_last_start_is_inside_the_notice_without_a_refresh(
    time_machine,
):
    time_machine.move_to(local(2026, 12, 2, 8), tick=False)
    service = bookable_service(min_notice_hours=2)
    free_days.refresh(service.provider_id)
    book_by = stored(service)[local(2026, 12, 2).date()]

    assert book_by == local(2026, 12, 2, 14)  # the 16:00 start less 2 hours' notice
    time_machine.move_to(book_by + timedelta(minutes=1), tick=False)
    assert not selectors.free_slots(service=service, date=local(2026, 12, 2).date())
    still_free = ServiceFreeDay.objects.filter(
        service=service, day=local(2026, 12, 2).date(), book_by__gte=timezone.now()
    )
    assert not still_free.exists()


def test_a_refused_enqueue_leaves_the_provider_owed_and_the_sweep_refreshes_them(
    time_machine, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    time_machine.move_to(local(2026, 12, 2, 8), tick=False)
    service = bookable_service(hours=[(3, time(9), time(10))])
    free_days.refresh(service.provider_id)

    def refuse(*args, **kwargs):
        raise redis.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks, "refresh_free_days", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        services.create_booking(**booking_input(service, local(2026, 12, 3, 9)))

    assert "the sweep will refresh them" in caplog.text
    assert local(2026, 12, 3).date() in stored(service)  # not refreshed yet
    assert FreeDaysState.objects.get(provider=service.provider).owed_since is not None
    time_machine.move_to(local(2026, 12, 2, 8, 2), tick=False)

    assert tasks.sweep_free_days.call_local() >= 1

    assert local(2026, 12, 3).date() not in stored(service)
    assert FreeDaysState.objects.get(provider=service.provider).owed_since is None


def test_a_write_while_a_refresh_computes_keeps_the_provider_owed(time_machine):
    time_machine.move_to(local(2026, 12, 2, 8), tick=False)
    service = bookable_service()
    # Owed after the refresh began (as a booking committed meanwhile would be).
    real_refresh_start = timezone.now()
    catalog_services.owe_free_days(
        service.provider_id, since=real_refresh_start + timedelta(seconds=5)
    )

    free_days.refresh(service.provider_id)

    assert FreeDaysState.objects.get(provider=service.provider).owed_since is not None


def test_a_longer_service_edit_is_owed_to_the_sweep_which_drops_the_days_it_no_longer_fits(
    time_machine,
):
    time_machine.move_to(local(2026, 12, 2, 8), tick=False)
    service = bookable_service(hours=[(3, time(9), time(10))], duration_minutes=60)
    free_days.refresh(service.provider_id)
    assert local(2026, 12, 3).date() in stored(service)

    catalog_services.update_service(
        service=service, user=service.provider.user, duration_minutes=120
    )
    assert free_days.sweep() == 1  # owed for the next sweep, no task asked from catalog

    assert stored(service) == {}


def test_a_price_on_quote_service_has_no_free_days(time_machine):
    time_machine.move_to(local(2026, 12, 2, 8), tick=False)
    service = bookable_service(pricing_type=PricingType.QUOTE)

    free_days.refresh(service.provider_id)

    assert stored(service) == {}


def test_the_sweep_adds_the_day_entering_the_window_as_time_passes(time_machine):
    time_machine.move_to(local(2026, 12, 2, 8), tick=False)
    service = bookable_service(hours=[(day, time(9), time(17)) for day in range(7)])
    free_days.refresh(service.provider_id)
    last = max(stored(service))
    time_machine.move_to(local(2026, 12, 3, 8), tick=False)

    assert free_days.sweep() == 1

    assert max(stored(service)) == last + timedelta(days=1)
    assert stored(service) == offered(service)


def test_refreshing_many_providers_costs_the_queries_of_one(time_machine):
    time_machine.move_to(local(2026, 12, 2, 8), tick=False)
    one = [bookable_service()]
    many = [bookable_service() for _ in range(5)]
    for service in many:
        services.create_booking(**booking_input(service, local(2026, 12, 3, 9)))
    free_days.refresh_many([one[0].provider_id])
    free_days.refresh_many([service.provider_id for service in many])

    with CaptureQueriesContext(connection) as one_run:
        free_days.refresh_many([one[0].provider_id])
    with CaptureQueriesContext(connection) as many_run:
        made = free_days.refresh_many([service.provider_id for service in many])

    assert len(many_run) == len(one_run)
    assert made == sum(len(offered(service)) for service in many)
