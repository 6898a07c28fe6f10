"""What the load benchmark sets up for itself: the bench providers of the dashboard and day
picker rows, and booking requests spread over the catalog's providers."""

import json
from datetime import time, timedelta
from itertools import pairwise

import pytest
from django.utils import timezone

from accounts.tests.factories import CustomerFactory
from bench import fixtures, workload
from booking.models import Booking, BookingStatus
from booking.selectors import bookable_dates
from booking.tests.factories import bookable_service

pytestmark = pytest.mark.django_db


def test_the_busy_bench_provider_has_2000_pending_requests_across_the_day_picker(client):
    customer = CustomerFactory()
    bookable_service()  # the catalog's own provider, for a city to serve
    now = timezone.now()

    providers = fixtures.bench_providers(customer=customer, password="pw-1", now=now)
    again = fixtures.bench_providers(customer=customer, password="pw-2", now=now)

    busy = Booking.objects.filter(provider=again.busy.provider)
    assert busy.count() == fixtures.PENDING_REQUESTS  # rewritten, not added to
    assert set(busy.values_list("status", flat=True)) == {BookingStatus.PENDING}
    window = now + timedelta(days=fixtures.PICKER_DAYS)
    assert busy.filter(starts_at__lt=window).count() >= 1300
    assert not Booking.objects.filter(provider=again.free.provider).exists()
    assert again.busy.pk == providers.busy.pk and again.busy.provider.user.check_password("pw-2")
    # A free start between every two jobs: the busy picker offers the same days.
    start = timezone.localdate(now, again.free.provider.schedule.zone)
    free_days = bookable_dates(service=again.free, start=start, days=fixtures.PICKER_DAYS)
    busy_days = bookable_dates(service=again.busy, start=start, days=fixtures.PICKER_DAYS)
    assert len(free_days) >= fixtures.PICKER_DAYS - 1
    assert busy_days == free_days
    for service in (again.busy, again.free):
        assert client.get(f"/book/{service.pk}/").status_code == 200


def test_booking_requests_take_the_providers_in_turn_and_skip_those_without_hours():
    hours = [(day, time(8), time(18)) for day in range(7)]
    services = [bookable_service(hours=hours) for _ in range(3)]
    no_hours = bookable_service(hours=[])
    client = workload.bench_client("bench-password")

    plan = workload.booking_lines(client, limit=6, seed=1)

    booked = [json.loads(line.split("\t")[2])["service"] for line in plan.lines]
    assert len(booked) == 6
    assert plan.providers == 3
    assert no_hours.pk not in booked
    assert plan.without_hours == 1
    # In turn: no provider twice in a row.
    assert all(a != b for a, b in pairwise(booked))
    assert set(booked) == {service.pk for service in services}


def test_booking_requests_draw_a_sample_of_providers_when_there_are_many(monkeypatch):
    monkeypatch.setattr(workload, "BOOKING_PROVIDERS", 2)
    for _ in range(4):
        bookable_service(hours=[(day, time(8), time(18)) for day in range(7)])
    client = workload.bench_client("bench-password")

    plan = workload.booking_lines(client, limit=6, seed=1)

    assert plan.providers == 2 and len(plan.lines) == 6
