"""The days each listed service can be booked, kept for search's availability filter.

`catalog.ServiceFreeDay` says, per service and local day of the next FREE_DAYS_AHEAD, that
at least one start is free and until when it can be booked (`book_by`: the day's last free
start less the provider's notice). The rows come from the booking flow's own SlotFinder, so
the filter never lists a day the booking steps would show empty.

How they stay true (the outbox pattern):
- Any write that changes what a provider can offer (hours, time off, schedule settings, a
  booking made, moved, cancelled, declined or expired; a listing edited) marks the provider
  owed in its own transaction (`owe`), then asks the queue to refresh them after commit.
- `refresh` recomputes all of a provider's rows in one transaction, holding the provider's
  state row, so two refreshes never interleave and a write committed meanwhile keeps the
  provider owed for the next one.
- A periodic sweep refreshes whoever is still owed (a lost enqueue, a worker killed) and
  whoever's rows end before the last day of the window (the days entering it as time
  passes). Time passing needs nothing else: `book_by` already says when a day stops counting.
"""

import logging
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from catalog import services as catalog_services
from catalog.models import FREE_DAYS_AHEAD, FreeDaysState, PricingType, Service, ServiceFreeDay
from notifications.services import ENQUEUE_ERRORS

from . import selectors
from .models import ProviderSchedule

logger = logging.getLogger(__name__)

# Providers refreshed per sweep, so one sweep stays short whatever the backlog.
SWEEP_BATCH = 500
# An owed provider is left to its own enqueued refresh for this long before a sweep takes it.
SWEEP_AFTER = timedelta(seconds=60)


def owe(provider_id: int) -> None:
    """Mark the provider's free days owed (inside the caller's transaction), and refresh them
    once it commits. Call it from every write that changes what the provider can offer."""
    catalog_services.owe_free_days(provider_id, since=timezone.now())
    transaction.on_commit(lambda: enqueue_refresh(provider_id))


def lock_schedule_owing(provider_id: int) -> ProviderSchedule | None:
    """The provider's schedule row, locked, with their free days marked owed (`owe`): the
    lock every write that changes what they offer takes. One statement on PostgreSQL (a
    data-modifying WITH: booking creation stays within its ten), two elsewhere; None when
    the provider has no schedule yet."""
    now = timezone.now()
    if connection.vendor == "postgresql":
        found = ProviderSchedule.objects.raw(
            f"WITH owed AS (INSERT INTO {FreeDaysState._meta.db_table} (provider_id, owed_since)"
            " VALUES (%s, %s) ON CONFLICT (provider_id) DO UPDATE"
            " SET owed_since = EXCLUDED.owed_since)"
            f" SELECT * FROM {ProviderSchedule._meta.db_table} WHERE provider_id = %s FOR UPDATE",
            [provider_id, now, provider_id],
        )
    else:
        catalog_services.owe_free_days(provider_id, since=now)
        found = ProviderSchedule.objects.select_for_update().filter(provider_id=provider_id)
    schedule = next(iter(found), None)
    transaction.on_commit(lambda: enqueue_refresh(provider_id))
    return schedule


def enqueue_refresh(provider_id: int) -> bool:
    """Ask the queue to refresh now; a refusal is logged and left to the sweep."""
    from .tasks import refresh_free_days  # tasks import this module

    try:
        refresh_free_days(provider_id)
    except ENQUEUE_ERRORS as exc:
        logger.warning(
            "provider %s: free days enqueue failed, the sweep will refresh them: %s: %s",
            provider_id,
            type(exc).__name__,
            exc,
        )
        return False
    return True


def _rows_for(services, finder: selectors.SlotFinder, notice: timedelta) -> list[ServiceFreeDay]:
    rows = []
    for service in services:
        by_duration = finder.for_duration(service.duration_minutes)
        for day in by_duration.days():
            last_start = by_duration.last_slot(day)
            if last_start is not None:
                book_by = last_start.astimezone(UTC) - notice
                rows.append(ServiceFreeDay(service=service, day=day, book_by=book_by))
    return rows


def refresh(provider_id: int, *, now: datetime | None = None) -> int:
    """Recompute one provider's free days from now; returns how many rows they have."""
    return refresh_many([provider_id], now=now)


@transaction.atomic
def refresh_many(provider_ids, *, now: datetime | None = None) -> int:
    """Recompute the free days of several providers in one transaction and a constant number
    of queries (a sweep's batch, the seeding of a million listings); returns the rows made."""
    started = timezone.now()
    now = now or started
    provider_ids = sorted(set(provider_ids))
    FreeDaysState.objects.bulk_create(
        [FreeDaysState(provider_id=pk) for pk in provider_ids], ignore_conflicts=True
    )
    # Hold the state rows (in one order, so two sweeps never deadlock): a write that owes
    # one of these providers waits for this refresh to commit, then marks it owed again, so
    # what it changed is never overwritten by rows computed before it.
    states = list(
        FreeDaysState.objects.select_for_update()
        .filter(provider_id__in=provider_ids)
        .order_by("provider_id")
    )
    schedules = {
        schedule.provider_id: schedule
        for schedule in ProviderSchedule.objects.filter(
            provider_id__in=provider_ids
        ).select_related("provider")
    }
    services = defaultdict(list)
    listed = (
        Service.objects.filter(provider_id__in=schedules, is_listed=True)
        .exclude(pricing_type=PricingType.QUOTE)  # never booked straight from a slot
        .only("pk", "provider_id", "duration_minutes")
        .order_by("pk")
    )
    for service in listed:
        services[service.provider_id].append(service)
    # A day either side of UTC's covers every zone's today and last day.
    today = now.astimezone(UTC).date()
    loaded = selectors.preload(
        services, first=today - timedelta(days=1), last=today + timedelta(days=FREE_DAYS_AHEAD)
    )

    rows, last_days = [], {}
    for state in states:
        pk = state.provider_id
        schedule = schedules.get(pk)
        if schedule is None:  # no schedule yet: no hours, nothing free
            last_days[pk] = now.astimezone(UTC).date() + timedelta(days=FREE_DAYS_AHEAD - 1)
            continue
        local_today = now.astimezone(schedule.zone).date()
        last_days[pk] = local_today + timedelta(days=FREE_DAYS_AHEAD - 1)
        if not services[pk] or not loaded[pk].weekly:
            continue
        services[pk][0].provider = schedule.provider  # read with the schedule
        finder = selectors.SlotFinder(
            service=services[pk][0],
            first_day=local_today,
            last_day=last_days[pk],
            now=now,
            schedule=schedule,
            preloaded=loaded[pk],
        )
        rows += _rows_for(services[pk], finder, timedelta(hours=schedule.min_notice_hours))

    # By the services' ids: a join to the service table would let the planner read all the
    # free days to hash them (seconds at a million listings).
    every_service = Service.objects.filter(provider_id__in=provider_ids).values_list("pk")
    ServiceFreeDay.objects.filter(service_id__in=[pk for (pk,) in every_service]).delete()
    _insert(rows)
    # A few distinct last days (one per zone's date), so one UPDATE each, not a CASE per row.
    by_last_day = defaultdict(list)
    for provider_id, last_day in last_days.items():
        by_last_day[last_day].append(provider_id)
    for last_day, ids in by_last_day.items():
        FreeDaysState.objects.filter(provider_id__in=ids).update(computed_through=last_day)
    FreeDaysState.objects.filter(provider_id__in=provider_ids, owed_since__lte=started).update(
        owed_since=None
    )
    return len(rows)


def _insert(rows: list[ServiceFreeDay]) -> None:
    if connection.vendor != "postgresql":
        ServiceFreeDay.objects.bulk_create(rows, batch_size=500)
        return
    # One statement from three arrays: the ORM's per-field preparation of every row was most
    # of a large refresh (the seeding of a million listings' days).
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ServiceFreeDay._meta.db_table} (service_id, day, book_by)"
            " SELECT * FROM unnest(%s::integer[], %s::date[], %s::timestamptz[])",
            [
                [row.service_id for row in rows],
                [row.day for row in rows],
                [row.book_by for row in rows],
            ],
        )


def providers_due(*, now: datetime | None = None, limit: int = SWEEP_BATCH) -> list[int]:
    """Providers a sweep should refresh: owed for a while, or whose rows stop short of the
    window's last day (UTC's today: a day's difference in zone only delays the day added)."""
    now = now or timezone.now()
    owed = list(
        FreeDaysState.objects.filter(owed_since__lte=now - SWEEP_AFTER)
        .order_by("owed_since")
        .values_list("provider_id", flat=True)[:limit]
    )
    last_day = now.astimezone(UTC).date() + timedelta(days=FREE_DAYS_AHEAD - 1)
    rolling = FreeDaysState.objects.filter(computed_through__lt=last_day).exclude(
        provider_id__in=owed
    )
    owed += rolling.order_by("computed_through").values_list("provider_id", flat=True)[
        : max(0, limit - len(owed))
    ]
    return owed


def sweep(*, now: datetime | None = None) -> int:
    """Refresh the providers due; returns how many were refreshed."""
    due = providers_due(now=now)
    if due:
        refresh_many(due, now=now)
    return len(due)
