"""Accounts and bookings the load benchmark makes for itself, on top of the seeded data.

Two bench providers, each verified with one listed 15-minute service and open around the
clock (so every minute of the 28-day day picker is a candidate start):

- the busy one has PENDING_REQUESTS pending requests, 15-minute jobs every 30 minutes
  around the clock from now on (the shape of booking/tests/test_busy_calendar.py): the
  provider dashboard with 2,000 requests waiting for an answer, and the day picker of a
  provider with 2,000 bookings, 1,344 of them inside its 28 days, a free start between
  every two;
- the free one has none: the day picker to compare with.

Everything is rewritten on each run relative to the current time, so two runs measure the
same shape of data.
"""

from dataclasses import dataclass
from datetime import UTC, time, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts.models import City, Role, ServiceProviderProfile, User, VerificationStatus
from accounts.services import register_user
from booking import services as booking_services
from booking.models import Booking, BookingStatus
from catalog import services as catalog_services
from catalog.models import PricingType, Service, ServiceCategory

BUSY_EMAIL = "bench-busy-provider@bench.example.com"
FREE_EMAIL = "bench-free-provider@bench.example.com"
BENCH_EMAILS = (BUSY_EMAIL, FREE_EMAIL)
PENDING_REQUESTS = 2000
PICKER_DAYS = 28
JOB_MINUTES = 15
# A free start between every two jobs, as in life: the picker then measures the busy check
# (binary search over 1,344 bookings in its window) rather than a scan of days with no room.
REQUEST_SPACING = timedelta(minutes=30)
AROUND_THE_CLOCK = [(day, time(0), time(23, 45)) for day in range(7)]


@dataclass
class BenchProviders:
    busy: Service
    free: Service
    busy_password: str


def _account(email: str, password: str, name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = register_user(
            email=email, password=password, role=Role.PROVIDER, first_name=name, last_name="Bench"
        )
    else:
        user.set_password(password)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _provider_service(user: User, city: City) -> Service:
    """The provider verified, open around the clock in `city`'s zone, with one listed
    15-minute service (created once)."""
    profile = ServiceProviderProfile.objects.get(user=user)
    if profile.verification_status != VerificationStatus.VERIFIED:
        profile.verification_status = VerificationStatus.VERIFIED
        profile.save(update_fields=["verification_status"])
    profile.cities.set([city])
    booking_services.ensure_schedule(provider=profile)
    booking_services.update_schedule_settings(
        provider=profile,
        time_zone=city.time_zone,
        buffer_minutes=0,
        min_notice_hours=0,
        max_advance_days=60,
        pending_expiry_hours=24 * 7,
    )
    booking_services.set_weekly_availability(provider=profile, intervals=AROUND_THE_CLOCK)
    service = Service.objects.filter(provider=profile).order_by("pk").first()
    if service is None:
        categories = ServiceCategory.objects.order_by("parent_id", "pk")
        category = categories.filter(parent__isnull=False).first() or categories.first()
        service = catalog_services.create_service(
            user=user,
            title="Benchmark quick fix",
            category=category,
            short_description="A fifteen-minute job the benchmark books.",
            description="Made by manage.py bench for its dashboard and day picker rows.",
            pricing_type=PricingType.FIXED,
            base_price=Decimal("40.00"),
            currency="USD",
            duration_minutes=JOB_MINUTES,
            is_active=True,
        )
    catalog_services.sync_provider_listings(provider=profile)
    return Service.objects.select_related("provider").get(pk=service.pk)


def _pending_requests(service: Service, customer: User, count: int, now) -> None:
    """`count` pending requests of `service`, one every REQUEST_SPACING, in one INSERT (the
    provider's earlier ones deleted first)."""
    Booking.objects.filter(provider=service.provider).delete()
    schedule = service.provider.schedule
    city = service.provider.cities.first()
    # A quarter past or to the hour: off the half-hour grid of candidate starts
    # (BOOKING_SLOT_STEP_MINUTES), so the start between two jobs stays free.
    first = (now + timedelta(minutes=30 - now.minute % 30)).replace(second=0, microsecond=0)
    first = (first + timedelta(minutes=JOB_MINUTES)).astimezone(UTC)
    rows = []
    for number in range(count):
        starts_at = first + REQUEST_SPACING * number
        ends_at = starts_at + timedelta(minutes=service.duration_minutes)
        rows.append(
            Booking(
                booking_reference=f"BK-BNCH-{number:04d}",
                customer=customer,
                provider=service.provider,
                service=service,
                status=BookingStatus.PENDING,
                status_changed_at=now,
                starts_at=starts_at,
                ends_at=ends_at,
                blocked_until=ends_at,
                time_zone=schedule.time_zone,
                estimated_duration_minutes=service.duration_minutes,
                cancellation_free_hours=schedule.cancellation_free_hours,
                service_address="1 Benchmark Street",
                service_city=city,
                service_postal_code="00000",
                base_price=service.base_price,
                pricing_type=service.pricing_type,
                currency=service.currency,
                estimated_total=service.base_price,
                created_at=now,
            )
        )
    Booking.objects.bulk_create(rows, batch_size=1000)


def bench_providers(*, customer: User, password: str, now=None) -> BenchProviders:
    """The busy and the free bench provider, ready (see the module's docstring); the busy
    one's account gets `password`, so the benchmark can sign in to its dashboard."""
    now = now or timezone.now()
    city = City.objects.order_by("pk").first()
    if city is None:
        raise ValueError("No cities: is the benchmark database seeded?")
    with transaction.atomic():
        busy = _provider_service(_account(BUSY_EMAIL, password, "Busy"), city)
        free = _provider_service(_account(FREE_EMAIL, password, "Free"), city)
        Booking.objects.filter(provider=free.provider).delete()
        _pending_requests(busy, customer, PENDING_REQUESTS, now)
    return BenchProviders(busy=busy, free=free, busy_password=password)
