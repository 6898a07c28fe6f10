"""The next free time of each service: the earliest start the booking steps would offer now,
for cards and service pages ("Next free: tomorrow 09:30", linking to that slot's step).

It comes from the booking flow's own SlotFinder (hours, days off, bookings, buffer,
notice, horizon), so it is never a time the steps would refuse. Reads are cached per
provider and invalidated when what they offer changes:

- Each provider has a generation in the cache; their entry (service id → next start) is
  stored under it. `invalidate(provider_id)` (called by booking.services in every write
  that changes what a provider offers: a booking made, moved, cancelled, declined or
  expired; hours, settings, time off) starts a new generation once the write commits, so
  the next read recomputes. A computation that raced with the write stored its result
  under the old generation, which nobody reads any more.
- A start also stops being offered as time passes (it falls inside the notice): each
  value is kept only until then (`valid_until`), and at most CACHE_SECONDS (a duration
  edited in the catalog shows within that).

A page of cards reads every entry in two cache round trips; the misses are computed
together in a constant number of queries (schedules, hours, days off, bookings).
"""

import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from catalog.models import PricingType

from . import selectors
from .local_time import offset_param
from .models import ProviderSchedule
from .slots import local_time

CACHE_SECONDS = 10 * 60
# With nothing free in the provider's horizon, look again after this long (a new day opens).
NOTHING_FREE_SECONDS = 60 * 60


@dataclass(frozen=True)
class NextFree:
    """A service's earliest free start, aware in the provider's time zone."""

    service_id: int
    starts_at: datetime

    @property
    def step_url(self) -> str:
        """The booking step that start's slot link opens (the address step, time chosen)."""
        query = urlencode(
            {
                "date": self.starts_at.date().isoformat(),
                "time": local_time(self.starts_at),
                "offset": offset_param(self.starts_at),
            }
        )
        return f"{reverse('booking:book_details', args=[self.service_id])}?{query}"

    def day_words(self, now: datetime | None = None) -> str:
        """ "today", "tomorrow", "Friday" (within a week), else "Mon 14 Dec", in its zone."""
        today = (now or timezone.now()).astimezone(self.starts_at.tzinfo).date()
        day = self.starts_at.date()
        if day == today:
            return "today"
        if day == today + timedelta(days=1):
            return "tomorrow"
        if day < today + timedelta(days=7):
            return f"{day:%A}"
        return f"{day:%a} {day.day} {day:%b}"


def _generation_key(provider_id: int) -> str:
    return f"booking:next-free:generation:{provider_id}"


def _entry_key(provider_id: int, generation) -> str:
    return f"booking:next-free:{provider_id}:{generation}"


def invalidate(provider_id: int) -> None:
    """What the provider offers changed: once the caller's transaction commits, every cached
    next free time of theirs is recomputed at its next read."""
    transaction.on_commit(lambda: _new_generation(provider_id))


def _new_generation(provider_id: int) -> None:
    key = _generation_key(provider_id)
    try:
        cache.incr(key)
    except ValueError:  # never set, or evicted: any number not used before
        cache.set(key, secrets.randbits(62), timeout=None)


def next_free_for(services, *, now: datetime | None = None) -> dict[int, NextFree | None]:
    """{service id: its next free start, or None when nothing is free in the provider's
    horizon}, for services with `provider_id`, `duration_minutes` and `pricing_type`.
    Price-on-quote services are never booked from a slot: absent."""
    services = [s for s in services if s.pricing_type != PricingType.QUOTE]
    if not services:
        return {}
    now = now or timezone.now()
    stamp = now.timestamp()
    provider_ids = sorted({s.provider_id for s in services})
    generations = cache.get_many([_generation_key(pk) for pk in provider_ids])
    generation = {pk: generations.get(_generation_key(pk), 0) for pk in provider_ids}
    entries = cache.get_many([_entry_key(pk, generation[pk]) for pk in provider_ids])
    found, missing = {}, defaultdict(list)
    for service in services:
        entry = entries.get(_entry_key(service.provider_id, generation[service.provider_id]), {})
        cached = entry.get(service.pk)
        if cached is not None and cached[1] > stamp:
            found[service.pk] = _from_cache(service.pk, cached[0])
        else:
            missing[service.provider_id].append(service)
    if missing:
        computed = _compute(missing, now=now)
        to_store = {}
        for provider_id, values in computed.items():
            key = _entry_key(provider_id, generation[provider_id])
            entry = {
                pk: value
                for pk, value in entries.get(key, {}).items()
                if value[1] > stamp  # drop what has expired
            }
            for service_id, (starts_at, valid_until) in values.items():
                entry[service_id] = (starts_at.isoformat() if starts_at else None, valid_until)
                found[service_id] = NextFree(service_id, starts_at) if starts_at else None
            to_store[key] = entry
        cache.set_many(to_store, timeout=CACHE_SECONDS)
    return found


def _from_cache(service_id: int, value: str | None) -> NextFree | None:
    return NextFree(service_id, datetime.fromisoformat(value)) if value else None


def _compute(services_by_provider, *, now: datetime) -> dict[int, dict]:
    """{provider id: {service id: (next start or None, valid until as a timestamp)}}, in
    four queries for any number of providers."""
    provider_ids = list(services_by_provider)
    schedules = {
        s.provider_id: s for s in ProviderSchedule.objects.filter(provider_id__in=provider_ids)
    }
    result = {pk: {} for pk in provider_ids}
    nothing_until = now.timestamp() + NOTHING_FREE_SECONDS
    with_schedule = [pk for pk in provider_ids if pk in schedules]
    for pk in provider_ids:
        if pk not in schedules:  # no schedule, so no hours: nothing free
            for service in services_by_provider[pk]:
                result[pk][service.pk] = (None, nothing_until)
    if not with_schedule:
        return result
    # A day either side of UTC's covers every zone's today; the horizon is the schedule's.
    first = now.astimezone(UTC).date() - timedelta(days=1)
    last = now.astimezone(UTC).date() + timedelta(
        days=max(s.max_advance_days for s in schedules.values()) + 1
    )
    loaded = selectors.preload(with_schedule, first=first, last=last)

    for pk in with_schedule:
        schedule = schedules[pk]
        notice = timedelta(hours=schedule.min_notice_hours)
        local_today = now.astimezone(schedule.zone).date()
        preloaded = loaded[pk]
        for service in services_by_provider[pk]:
            finder = selectors.SlotFinder(
                service=service,
                first_day=local_today,
                last_day=local_today + timedelta(days=schedule.max_advance_days),
                now=now,
                schedule=schedule,
                preloaded=preloaded,
            )
            start = _first_slot(finder)
            if start is None:
                result[pk][service.pk] = (None, nothing_until)
            else:
                # Offered until the notice reaches it.
                result[pk][service.pk] = (start, (start.astimezone(UTC) - notice).timestamp())
    return result


def _first_slot(finder: selectors.SlotFinder) -> datetime | None:
    for day in finder.days():
        slots = finder.slots(day)
        if slots:
            return slots[0]
    return None


def next_free_of(service, *, now: datetime | None = None) -> NextFree | None:
    """One service's next free start (its page)."""
    return next_free_for([service], now=now).get(service.pk)
