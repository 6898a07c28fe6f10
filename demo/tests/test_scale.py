"""`seed_demo --scale N`: the bulk listings the benchmarks search."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from booking.models import ProviderSchedule, WeeklyAvailability
from booking.selectors import bookable_dates, free_slots
from catalog.models import FREE_DAYS_AHEAD, Service, ServiceFreeDay
from catalog.selectors import SearchFilters, search_services
from demo.scale import EMAIL_DOMAIN

pytestmark = pytest.mark.django_db


def scale_services():
    return Service.objects.filter(provider__user__email__endswith=f"@{EMAIL_DOMAIN}")


def service_indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'catalog_service' ORDER BY 1"
        )
        return [name for (name,) in cursor.fetchall()]


def test_scale_seeding_adds_searchable_listings_up_to_the_total():
    indexes = service_indexes()

    call_command("seed_demo", "--scale", "40", stdout=StringIO())
    call_command("seed_demo", "--scale", "60", stdout=StringIO())

    assert scale_services().count() == 60
    assert not scale_services().filter(search_vector__isnull=True).exists()
    assert service_indexes() == indexes
    listed = scale_services().filter(is_listed=True).order_by("pk").last()
    found = search_services(SearchFilters(q=listed.title))
    pages = [
        search_services(SearchFilters(q=listed.title, page=n))
        for n in range(1, found.num_pages + 1)
    ]
    assert listed.pk in {service.pk for page in pages for service in page.services}


def test_every_scale_provider_has_working_hours_a_customer_can_book():
    call_command("seed_demo", "--scale", "30", stdout=StringIO())
    services = list(scale_services().filter(is_listed=True).select_related("provider"))
    now = timezone.now()

    for service in services:
        days = bookable_dates(service=service, start=now.date(), days=14, now=now)
        assert days, f"{service.provider} cannot be booked in the next fortnight"
        assert free_slots(service=service, date=days[0], now=now)
    saturdays = WeeklyAvailability.objects.filter(
        provider__in=[s.provider for s in services], weekday=5
    )
    assert (
        0 < saturdays.values("provider").distinct().count() < len({s.provider_id for s in services})
    )


def test_hours_are_added_to_a_database_seeded_before_providers_had_them():
    call_command("seed_demo", "--scale", "10", stdout=StringIO())
    WeeklyAvailability.objects.all().delete()
    ProviderSchedule.objects.all().delete()

    call_command("seed_demo", "--scale", "10", stdout=StringIO())

    providers = {s.provider_id for s in scale_services()}
    assert set(ProviderSchedule.objects.values_list("provider_id", flat=True)) >= providers
    assert {a.provider_id for a in WeeklyAvailability.objects.all()} >= providers


def test_every_listed_scale_service_is_found_free_on_the_days_it_can_be_booked():
    call_command("seed_demo", "--scale", "20", stdout=StringIO())
    services = list(scale_services().filter(is_listed=True).select_related("provider"))
    now = timezone.now()
    start = now.date()

    for service in services:
        days = bookable_dates(service=service, start=start, days=FREE_DAYS_AHEAD, now=now)
        stored = set(
            ServiceFreeDay.objects.filter(service=service, book_by__gte=now).values_list(
                "day", flat=True
            )
        )
        assert stored == {day for day in days if day >= start}, service
    week = search_services(SearchFilters(free_from=start, free_until=start + timedelta(days=6)))
    assert week.count == len(services)
