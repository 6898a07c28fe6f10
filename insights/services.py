"""Writes of insights: the daily rollups and the flush of the view counters.

Every rollup is a recount: `roll_up` rewrites the booking and review columns of a provider's
days from the bookings and reviews themselves, so running it twice, late or after a crash
changes nothing but what was wrong (docs/insights.md).
"""

import logging
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import ServiceProviderProfile
from booking import local_time
from booking.models import Booking, BookingStatus, BookingStatusHistory
from booking.selectors import schedule_for
from catalog.models import Service
from reviews.models import Review

from . import views_counter
from .models import BOOKING_COLUMNS, EarningsDay, ServiceDay

logger = logging.getLogger(__name__)

S = BookingStatus
# How far back the periodic rollup looks for activity: well over its interval, so a run
# missed or late is made up by the next (a recount twice is harmless).
RECENT = timedelta(hours=2)


def count_service_view(request, service) -> None:
    """Count a person's view of a service page (not a bot's, not its provider's); never
    raises for Redis, never costs a query but for a signed-in provider."""
    if views_counter.is_counted(request, service):
        views_counter.count_view(service.pk, service.provider_id)


def day_start(day: date, zone) -> datetime:
    """The first instant of local `day` (the jump's moment if midnight falls in a gap)."""
    return local_time.window(day, time(0), time(0, 1), zone)[0]


def _local_day(moment: datetime, zone) -> date:
    return moment.astimezone(zone).date()


def _empty_figures() -> dict:
    return {name: ([] if name == "answer_seconds" else 0) for name in BOOKING_COLUMNS}


def recount(provider: ServiceProviderProfile, first: date, last: date, zone=None):
    """The booking and review figures of the provider's local days first..last, counted from
    the rows: ({(service id, day): figures}, {(day, currency): (amount, jobs)})."""
    zone = zone or schedule_for(provider).zone
    since, until = day_start(first, zone), day_start(last + timedelta(days=1), zone)
    figures = defaultdict(_empty_figures)
    earnings = defaultdict(lambda: [Decimal("0"), 0])
    bookings = Booking.objects.filter(provider=provider)

    for service_id, created_at in bookings.filter(
        created_at__gte=since, created_at__lt=until
    ).values_list("service_id", "created_at"):
        figures[service_id, _local_day(created_at, zone)]["requests"] += 1

    # Final states: status_changed_at is when the booking got there, and it never changes.
    finals = bookings.filter(
        status__in=(S.REJECTED, S.EXPIRED, S.CANCELLED, S.COMPLETED),
        status_changed_at__gte=since,
        status_changed_at__lt=until,
    ).values_list(
        "service_id",
        "status",
        "status_changed_at",
        "cancelled_by_id",
        "customer_id",
        "provider__user_id",
        "currency",
        "estimated_total",
    )
    for service_id, status, at, cancelled_by, customer, provider_user, currency, total in finals:
        day = _local_day(at, zone)
        row = figures[service_id, day]
        if status == S.REJECTED:
            row["declined"] += 1
        elif status == S.EXPIRED:
            row["expired"] += 1
        elif status == S.COMPLETED:
            row["completed"] += 1
            earnings[day, currency][0] += total
            earnings[day, currency][1] += 1
        elif cancelled_by == customer:
            row["cancelled_by_customer"] += 1
        elif cancelled_by == provider_user:
            row["cancelled_by_provider"] += 1
        else:
            row["cancelled_by_marketplace"] += 1

    # Answers: a request's first change out of PENDING made by the provider or an admin
    # (accepted or declined); the wait is from the request to that answer.
    answers = (
        BookingStatusHistory.objects.filter(
            booking__provider=provider,
            from_status=S.PENDING,
            to_status__in=(S.CONFIRMED, S.REJECTED),
            changed_at__gte=since,
            changed_at__lt=until,
        )
        .order_by("booking_id", "changed_at", "id")
        .values_list(
            "booking_id", "booking__service_id", "to_status", "changed_at", "booking__created_at"
        )
    )
    seen = set()
    for booking_id, service_id, to_status, at, requested_at in answers:
        if booking_id in seen:
            continue  # a moved booking asked again: its first answer counts
        seen.add(booking_id)
        row = figures[service_id, _local_day(at, zone)]
        row["answers"] += 1
        row["answer_seconds"].append(max(0, int((at - requested_at).total_seconds())))
        if to_status == S.CONFIRMED:
            row["accepted"] += 1

    reviews = Review.objects.filter(
        provider=provider, is_hidden=False, created_at__gte=since, created_at__lt=until
    ).values_list("service_id", "created_at", "rating")
    for service_id, at, rating in reviews:
        row = figures[service_id, _local_day(at, zone)]
        row["review_count"] += 1
        row["rating_sum"] += rating

    for row in figures.values():
        row["answer_seconds"].sort()
    return dict(figures), {key: tuple(value) for key, value in earnings.items()}


@transaction.atomic
def roll_up(*, provider: ServiceProviderProfile, first: date, last: date) -> int:
    """Rewrite the provider's rollups of local days first..last from a recount; the views
    are left as flushed. Returns the number of day rows written."""
    # One rollup of a provider at a time: the periodic job and the command may overlap.
    ServiceProviderProfile.objects.select_for_update().filter(pk=provider.pk).first()
    figures, earnings = recount(provider, first, last)
    stored = {
        (row.service_id, row.day): row
        for row in ServiceDay.objects.filter(provider=provider, day__gte=first, day__lte=last)
    }
    services = set(Service.objects.filter(provider=provider).values_list("pk", flat=True))
    changed, new = [], []
    for key in stored.keys() | figures.keys():
        if key[0] not in services:
            continue
        values = figures.get(key) or _empty_figures()
        row = stored.get(key)
        if row is None:
            new.append(ServiceDay(provider=provider, service_id=key[0], day=key[1], **values))
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
    ServiceDay.objects.bulk_update(changed, BOOKING_COLUMNS, batch_size=500)
    # A flush may have made the row meanwhile: then only the booking columns are written.
    ServiceDay.objects.bulk_create(
        new,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["service", "day"],
        update_fields=BOOKING_COLUMNS,
    )
    EarningsDay.objects.filter(provider=provider, day__gte=first, day__lte=last).delete()
    EarningsDay.objects.bulk_create(
        [
            EarningsDay(provider=provider, day=day, currency=currency, amount=amount, jobs=jobs)
            for (day, currency), (amount, jobs) in earnings.items()
        ],
        batch_size=500,
    )
    return len(changed) + len(new)


def first_activity_day(provider: ServiceProviderProfile, zone) -> date | None:
    first = (
        Booking.objects.filter(provider=provider)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return _local_day(first, zone) if first else None


def roll_up_history(*, provider: ServiceProviderProfile, now: datetime | None = None) -> int:
    """Every day of the provider's, from their first request to today."""
    zone = schedule_for(provider).zone
    first = first_activity_day(provider, zone)
    if first is None:
        return 0
    return roll_up(provider=provider, first=first, last=_local_day(now or timezone.now(), zone))


def roll_up_recent(*, now: datetime | None = None, window: timedelta = RECENT) -> int:
    """Roll up the local days of the last `window` for every provider with a booking or a
    review changed in it: what the periodic job owes after each run of bookings."""
    now = now or timezone.now()
    since = now - window
    providers = set(
        Booking.objects.filter(status__in=S.values, status_changed_at__gte=since)
        .values_list("provider_id", flat=True)
        .distinct()
    ) | set(
        Review.objects.filter(Q(created_at__gte=since) | Q(updated_at__gte=since))
        .values_list("provider_id", flat=True)
        .distinct()
    )
    rows = 0
    for provider in ServiceProviderProfile.objects.filter(pk__in=providers):
        zone = schedule_for(provider).zone
        rows += roll_up(
            provider=provider, first=_local_day(since, zone), last=_local_day(now, zone)
        )
    return rows


def flush_view_counts(*, now: datetime | None = None) -> int:
    """Copy today's and yesterday's Redis view counters to ServiceDay.views. The counters are
    running totals for their day, so a row takes the larger of the two: flushing twice adds
    nothing, and a Redis that lost its counters never lowers what was flushed."""
    written = 0
    for day in views_counter.counted_days(now):
        counts = views_counter.read_counts(day)
        if not counts:
            continue
        providers = dict(Service.objects.filter(pk__in=counts).values_list("pk", "provider_id"))
        with transaction.atomic():
            stored = dict(
                ServiceDay.objects.select_for_update()
                .filter(service_id__in=providers, day=day)
                .values_list("service_id", "views")
            )
            rows = [
                ServiceDay(
                    service_id=service_id,
                    provider_id=provider_id,
                    day=day,
                    views=max(counts[service_id], stored.get(service_id, 0)),
                )
                for service_id, provider_id in providers.items()
                if counts[service_id] > stored.get(service_id, 0)
            ]
            ServiceDay.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["service", "day"],
                update_fields=["views"],
            )
        written += len(rows)
    return written
