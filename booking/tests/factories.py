from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from accounts.tests.factories import CityFactory, CustomerFactory, ProviderFactory
from booking import services
from booking.models import Booking, BookingStatus
from catalog.models import PricingType
from catalog.tests.factories import ServiceFactory

CHICAGO = ZoneInfo("America/Chicago")
NINE_TO_FIVE = (time(9), time(17))
WEEKDAYS = range(5)


def local(year, month, day, hour=0, minute=0, zone=CHICAGO) -> datetime:
    """An aware wall-clock time, Chicago unless told (zoneinfo, so DST is right)."""
    return datetime(year, month, day, hour, minute, tzinfo=zone)


def bookable_service(
    *,
    hours=None,
    time_zone="America/Chicago",
    buffer_minutes=0,
    min_notice_hours=0,
    max_advance_days=60,
    cancellation_free_hours=24,
    pending_expiry_hours=48,
    city=None,
    provider=None,
    **service_fields,
):
    """An active service of a verified provider serving `city`, with weekly `hours`
    ((weekday, start, end) tuples; Monday to Friday 9:00-17:00 unless told)."""
    if provider is None:
        provider = ProviderFactory().provider_profile
        provider.cities.add(city or CityFactory(time_zone=time_zone))
    if hours is None:
        hours = [(day, *NINE_TO_FIVE) for day in WEEKDAYS]
    services.ensure_schedule(provider=provider)
    services.update_schedule_settings(
        provider=provider,
        time_zone=time_zone,
        buffer_minutes=buffer_minutes,
        min_notice_hours=min_notice_hours,
        max_advance_days=max_advance_days,
        cancellation_free_hours=cancellation_free_hours,
        pending_expiry_hours=pending_expiry_hours,
    )
    services.set_weekly_availability(provider=provider, intervals=hours)
    service_fields.setdefault("duration_minutes", 60)
    return ServiceFactory(provider=provider, **service_fields)


def hourly_service(**kwargs):
    return bookable_service(pricing_type=PricingType.HOURLY, **kwargs)


def booking_input(service, starts_at, **overrides):
    """What a customer fills in, valid for `service`; override any field."""
    fields = {
        "customer": overrides.pop("customer", None) or CustomerFactory(),
        "service": service,
        "starts_at": starts_at,
        "service_address": "12 Elm Street, Apt 3",
        "service_city": service.provider.cities.first(),
        "service_state": "TX",
        "service_postal_code": "78701",
        "customer_notes": "The gate code is 1234.",
    }
    return fields | overrides


class BookingFactory(factory.django.DjangoModelFactory):
    """A booking written straight to the table (no history row), in any status.

    For behaviour of creating bookings use services.create_booking; this arranges state.
    """

    class Meta:
        model = Booking

    service = factory.LazyFunction(bookable_service)
    provider = factory.SelfAttribute("service.provider")
    customer = factory.LazyFunction(CustomerFactory)
    status = BookingStatus.PENDING
    # A job in progress started at its start time, a completed one ended at its end: the
    # rule the service layer keeps (work happens when it is booked for).
    status_changed_at = factory.LazyAttribute(
        lambda b: {
            BookingStatus.IN_PROGRESS: b.starts_at,
            BookingStatus.COMPLETED: b.ends_at,
        }.get(b.status, timezone.now())
    )
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    estimated_duration_minutes = factory.SelfAttribute("service.duration_minutes")
    ends_at = factory.LazyAttribute(
        # In UTC, as the service layer computes it: real minutes across a clock change.
        lambda b: b.starts_at.astimezone(UTC) + timedelta(minutes=b.estimated_duration_minutes)
    )
    blocked_until = factory.SelfAttribute("ends_at")
    time_zone = "America/Chicago"
    cancellation_free_hours = 24
    service_address = "12 Elm Street"
    service_city = factory.LazyAttribute(lambda b: b.provider.cities.first() or CityFactory())
    service_state = "TX"
    service_postal_code = "78701"
    base_price = factory.SelfAttribute("service.base_price")
    pricing_type = factory.SelfAttribute("service.pricing_type")
    currency = factory.SelfAttribute("service.currency")
    estimated_total = factory.LazyAttribute(lambda b: b.base_price or Decimal("0"))
