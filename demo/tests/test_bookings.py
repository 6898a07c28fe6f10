import random
from datetime import timedelta

import pytest

from accounts.tests.factories import CityFactory, CustomerFactory, ProviderFactory
from booking.models import Booking, BookingStatus, BookingStatusHistory, WeeklyAvailability
from catalog.tests.factories import ServiceFactory
from demo import bookings as demo

pytestmark = pytest.mark.django_db


def _providers(count):
    city = CityFactory(time_zone="America/Chicago")
    providers = []
    for _ in range(count):
        provider = ProviderFactory().provider_profile
        provider.cities.add(city)
        ServiceFactory(provider=provider, duration_minutes=90)
        providers.append(provider)
    return providers


def test_demo_schedules_give_every_provider_weekday_hours_once(now):
    providers = _providers(3)

    demo.seed_schedules(providers, random.Random(1))
    first_run = list(WeeklyAvailability.objects.values_list("pk", flat=True))
    demo.seed_schedules(providers, random.Random(2))

    for provider in providers:
        weekdays = set(provider.weekly_availability.values_list("weekday", flat=True))
        assert {0, 1, 2, 3, 4} <= weekdays
        assert 15 <= provider.schedule.buffer_minutes <= 30
    assert list(WeeklyAvailability.objects.values_list("pk", flat=True)) == first_run


def test_demo_bookings_show_past_and_upcoming_jobs_and_are_made_once(now):
    providers = _providers(3)
    demo.seed_schedules(providers, random.Random(1))
    customer = CustomerFactory()

    made = demo.seed_bookings(customer, providers, random.Random(1))
    again = demo.seed_bookings(customer, providers, random.Random(2))

    statuses = [b.status for b in made]
    assert statuses.count(BookingStatus.COMPLETED) == 3
    assert {BookingStatus.PENDING, BookingStatus.CONFIRMED} <= set(statuses)
    assert all(b.ends_at <= now for b in made if b.status == BookingStatus.COMPLETED)
    assert all(b.starts_at > now for b in made if b.status != BookingStatus.COMPLETED)
    assert all(b.history.first().changed_at <= now for b in made)
    assert again == []
    assert Booking.objects.count() == len(made)
    first_provider_statuses = {b.status for b in made if b.provider == providers[0]}
    assert first_provider_statuses == {BookingStatus.PENDING, BookingStatus.CONFIRMED}
    assert BookingStatusHistory.objects.filter(to_status=BookingStatus.COMPLETED).count() == 3
    assert providers[0].services.first().completed_bookings_count == 0
    assert max(b.starts_at for b in made) < now + timedelta(days=30)
