"""Demo schedules and bookings, for demo/seed.py to call; idempotent like every step.

    from demo import bookings as booking_demo
    booking_demo.seed_schedules(providers, rng)
    booking_demo.seed_bookings(customer, [demo_provider, *others], rng)

Bookings are made through the services (with `now` set in the past for finished jobs),
so they carry the same price snapshots and history a real booking would.
"""

from datetime import UTC, datetime, time, timedelta

from django.utils import timezone

from booking import selectors, services
from booking.models import Booking, BookingStatus, WeeklyAvailability
from catalog.models import PricingType

NOTES = [
    "",
    "Please ring the side door; the front bell is broken.",
    "There is parking in the driveway.",
    "We have a friendly dog.",
    "Call me when you are ten minutes away.",
]
DEMO_ADDRESS = ("500 Congress Avenue", "78701")


def seed_schedules(providers, rng) -> None:
    """Weekday hours with a lunch break (and some Saturday mornings), buffers of 15-30
    minutes, for each provider without hours yet; providers' own settings are left alone."""
    for provider in providers:
        if WeeklyAvailability.objects.filter(provider=provider).exists():
            continue
        services.ensure_schedule(provider=provider)
        services.update_schedule_settings(
            provider=provider,
            buffer_minutes=rng.choice([15, 20, 30]),
            min_notice_hours=rng.choice([2, 12, 24]),
            max_advance_days=rng.choice([30, 60, 90]),
            cancellation_free_hours=rng.choice([12, 24, 48]),
        )
        start = rng.choice([7, 8, 9])
        intervals = [
            interval
            for weekday in range(5)
            for interval in (
                (weekday, time(start), time(12)),
                (weekday, time(13), time(start + 9)),
            )
        ]
        if rng.random() < 0.4:
            intervals.append((5, time(9), time(13)))
        services.set_weekly_availability(provider=provider, intervals=intervals)


def _first_free_slot(service, *, on_or_after, now, duration_minutes):
    dates = selectors.bookable_dates(
        service=service,
        start=on_or_after,
        days=14,
        now=now,
        duration_minutes=duration_minutes,
    )
    for day in dates:
        slots = selectors.free_slots(
            service=service, date=day, now=now, duration_minutes=duration_minutes
        )
        # Mid-morning reads better than the first minute of the day.
        return slots[len(slots) // 3]
    return None


def _book(customer, provider, rng, *, days_from_now, now, status):
    service = provider.services.filter(is_active=True).order_by("pk").first()
    city = provider.cities.order_by("name").first()
    if service is None or city is None:
        return None
    duration = service.duration_minutes
    if service.pricing_type == PricingType.HOURLY:
        duration = max(duration, rng.choice([120, 180]))
    target = (now + timedelta(days=days_from_now)).date()
    # Upcoming jobs are requested now; a finished one was requested days before it happened.
    booked_at = now
    if days_from_now <= 0:
        booked_at = datetime.combine(target, time(9), tzinfo=UTC) - timedelta(days=4)
    starts_at = _first_free_slot(
        service, on_or_after=target, now=booked_at, duration_minutes=duration
    )
    if starts_at is None:
        return None
    if status == BookingStatus.COMPLETED and starts_at + timedelta(minutes=duration) > now:
        return None  # no past working day found: a finished job cannot lie in the future
    address, postal_code = DEMO_ADDRESS
    booking = services.create_booking(
        customer=customer,
        service=service,
        starts_at=starts_at,
        service_address=address,
        service_city=city,
        service_state=city.state,
        service_postal_code=postal_code,
        customer_notes=rng.choice(NOTES),
        estimated_duration_minutes=duration,
        now=booked_at,
    )
    answered_at = min(booked_at + timedelta(hours=2), now)
    steps = {
        BookingStatus.PENDING: [],
        BookingStatus.CONFIRMED: [(BookingStatus.CONFIRMED, answered_at)],
        BookingStatus.COMPLETED: [
            (BookingStatus.CONFIRMED, answered_at),
            (BookingStatus.IN_PROGRESS, booking.starts_at),
            (BookingStatus.COMPLETED, booking.ends_at),
        ],
    }[status]
    for to_status, at in steps:
        services.transition_booking(booking=booking, to_status=to_status, by=provider.user, now=at)
    return booking


def seed_bookings(customer, providers, rng, now=None) -> list[Booking]:
    """A few finished jobs, upcoming requests and confirmed jobs for the demo customer;
    nothing if they already have bookings. The first provider (pass the demo provider) gets
    one request to answer and one confirmed job."""
    if Booking.objects.filter(customer=customer).exists():
        return []
    now = now or timezone.now()
    bookable = [provider for provider in providers if provider.is_verified]
    if not bookable:
        return []
    first, others = bookable[0], bookable[1:] or bookable[:1]
    plan = [
        (first, 3, BookingStatus.PENDING),
        (first, 6, BookingStatus.CONFIRMED),
        (rng.choice(others), 2, BookingStatus.CONFIRMED),
        (rng.choice(others), 9, BookingStatus.PENDING),
        (rng.choice(others), -30, BookingStatus.COMPLETED),
        (rng.choice(others), -16, BookingStatus.COMPLETED),
        (rng.choice(others), -5, BookingStatus.COMPLETED),
    ]
    made = []
    for provider, days_from_now, status in plan:
        booking = _book(
            customer, provider, rng, days_from_now=days_from_now, now=now, status=status
        )
        if booking is not None:
            made.append(booking)
    return made
