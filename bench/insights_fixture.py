"""The insights row's provider (#21): a year of business behind the insights page.

`bench-insights-provider@bench.example.com`, verified, with SERVICES listed services,
BOOKINGS past bookings spread over the last 365 days (most completed, the rest declined,
cancelled by either side or expired, each with its answer in the history) and a year of
service page views, then rolled up as the Huey job keeps them. Rewritten on each run
relative to the current time, so two runs measure the same shape of data.
"""

import random
from datetime import UTC, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import City, User
from booking.models import Booking, BookingStatus, BookingStatusHistory
from catalog import services as catalog_services
from catalog.models import PricingType, Service, ServiceCategory
from insights import services as insights_services
from insights.models import EarningsDay, ServiceDay

from .fixtures import _account, _provider_service

INSIGHTS_EMAIL = "bench-insights-provider@bench.example.com"
BOOKINGS = 10_000
SERVICES = 5
DAYS = 365
S = BookingStatus
# Of every 20 past bookings: 15 completed, 2 declined, 2 cancelled, 1 expired.
OUTCOMES = [S.COMPLETED] * 15 + [S.REJECTED] * 2 + [S.CANCELLED] * 2 + [S.EXPIRED]


def _services(first: Service) -> list[Service]:
    services = [first]
    category = first.category or ServiceCategory.objects.order_by("pk").first()
    for number in range(1, SERVICES):
        title = f"Benchmark insights service {number}"
        service = Service.objects.filter(provider=first.provider, title=title).first()
        if service is None:
            service = catalog_services.create_service(
                user=first.provider.user,
                title=title,
                category=category,
                short_description="A service of the insights benchmark.",
                description="Made by manage.py bench for its insights row.",
                pricing_type=PricingType.FIXED,
                base_price=Decimal("60.00") + number * 10,
                currency="USD",
                duration_minutes=60,
                is_active=True,
            )
        services.append(service)
    return services


def insights_provider(*, customers: list[User], password: str, now=None) -> Service:
    """The insights provider's first service, with its year of bookings, views and rollups
    written afresh; the account gets `password` so the benchmark can sign in."""
    now = now or timezone.now()
    city = City.objects.order_by("pk").first()
    if city is None:
        raise ValueError("No cities: is the benchmark database seeded?")
    chance = random.Random(21)
    with transaction.atomic():
        first = _provider_service(_account(INSIGHTS_EMAIL, password, "Insights"), city)
        provider = first.provider
        services = _services(first)
        Booking.objects.filter(provider=provider).delete()
        ServiceDay.objects.filter(provider=provider).delete()
        EarningsDay.objects.filter(provider=provider).delete()
        schedule = provider.schedule
        start = (now - timedelta(days=DAYS)).astimezone(UTC).replace(second=0, microsecond=0)
        step = timedelta(days=DAYS) / BOOKINGS
        rows, answers = [], []
        for number in range(BOOKINGS):
            service = services[number % SERVICES]
            starts_at = start + step * number
            ends_at = starts_at + timedelta(minutes=60)
            requested = starts_at - timedelta(hours=chance.randint(24, 96))
            outcome = OUTCOMES[number % len(OUTCOMES)]
            changed = {S.COMPLETED: ends_at, S.CANCELLED: requested + timedelta(hours=5)}.get(
                outcome, requested + timedelta(hours=chance.randint(1, 20))
            )
            customer = customers[chance.randrange(len(customers))]
            rows.append(
                Booking(
                    booking_reference=f"BK-IN{number:07d}",
                    customer=customer,
                    provider=provider,
                    service=service,
                    status=outcome,
                    status_changed_at=changed,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    blocked_until=ends_at,
                    time_zone=schedule.time_zone,
                    estimated_duration_minutes=60,
                    cancellation_free_hours=schedule.cancellation_free_hours,
                    service_address="1 Benchmark Street",
                    service_city=city,
                    service_postal_code="00000",
                    base_price=service.base_price,
                    pricing_type=service.pricing_type,
                    currency=service.currency,
                    estimated_total=service.base_price,
                    cancelled_by=customer if outcome == S.CANCELLED else None,
                    created_at=requested,
                )
            )
        Booking.objects.bulk_create(rows, batch_size=1000)
        for booking in rows:
            if booking.status in (S.COMPLETED, S.CANCELLED, S.REJECTED):
                answered = booking.created_at + timedelta(minutes=chance.randint(5, 600))
                answers.append(
                    BookingStatusHistory(
                        booking=booking,
                        from_status=S.PENDING,
                        to_status=S.REJECTED if booking.status == S.REJECTED else S.CONFIRMED,
                        changed_by=provider.user,
                        changed_at=min(answered, booking.status_changed_at),
                    )
                )
        BookingStatusHistory.objects.bulk_create(answers, batch_size=2000)
        today = now.date()
        ServiceDay.objects.bulk_create(
            [
                ServiceDay(
                    provider=provider,
                    service=service,
                    day=today - timedelta(days=offset),
                    views=chance.randint(20, 200),
                )
                for service in services
                for offset in range(DAYS + 1)
            ],
            batch_size=2000,
        )
    insights_services.roll_up_history(provider=provider, now=now)
    return first
