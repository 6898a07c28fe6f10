"""Reads for booking: free slots and bookable dates, dashboard lists, one booking for a user.

Slot rules, shared by the HTML flow, the API and the service layer's re-check:
- Working intervals are local wall-clock times of the schedule's time zone. Each date's
  intervals become instants with zoneinfo *for that date*, so 9:00 stays 9:00 across a
  daylight-saving change; candidate starts then step in real time (`conf.SLOT_STEP_MINUTES`)
  from the start of each interval (touching intervals are joined first).
- A candidate is offered when the job (`duration`) ends within the interval; the buffer
  after it may run past the end of the day, since it only separates one job from the next.
- [start, start + duration + buffer) must not overlap an active booking's
  [starts_at, blocked_until), which is exactly what the database's exclusion constraint
  compares, so the page and the database never disagree.
- Days of time off offer nothing; nor do starts before now + minimum notice, nor local dates
  beyond today + max_advance_days.
"""

import copy
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import accumulate

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import ServiceProviderProfile, UserProfile
from catalog.models import PricingType, Service

from . import conf
from . import local_time as clock
from .models import (
    ACTIVE_STATUSES,
    Booking,
    BookingStatus,
    BookingStatusHistory,
    ProviderSchedule,
    TimeOff,
    WeeklyAvailability,
)

# How many days `next_free_slots` loads at a time while looking ahead.
_LOOKAHEAD_CHUNK_DAYS = 14


def default_time_zone(provider: ServiceProviderProfile) -> str:
    """The provider's own time zone if they chose one, else the (alphabetically) first city
    they serve's, else the site's."""
    profile = UserProfile.objects.filter(user_id=provider.user_id).first()
    if profile and profile.time_zone != settings.TIME_ZONE:
        return profile.time_zone
    city = provider.cities.order_by("name").first()
    if city:
        return city.time_zone
    return settings.TIME_ZONE


def schedule_for(provider: ServiceProviderProfile, *, as_read: bool = False) -> ProviderSchedule:
    """The provider's schedule, or an unsaved one with the defaults; never writes.

    `as_read=True`: the one the caller read with `select_related("schedule")` in this request
    (no query). Otherwise it is read afresh, since a provider instance may hold a schedule
    cached before the schedule's last change."""
    if as_read and ServiceProviderProfile.schedule.is_cached(provider):
        try:
            schedule = provider.schedule
        except ProviderSchedule.DoesNotExist:
            schedule = None
    else:
        schedule = ProviderSchedule.objects.filter(provider=provider).first()
    return schedule or ProviderSchedule(provider=provider, time_zone=default_time_zone(provider))


def starts_at_for(
    *, service: Service, scheduled_date: date, scheduled_time: time, utc_offset=None
) -> datetime:
    """The instant a local date and time of the service's provider mean (local_time.local_start:
    a time in the spring-forward gap is refused, a repeated one is the first unless
    `utc_offset` says otherwise)."""
    zone = schedule_for(service.provider).zone
    return clock.local_start(scheduled_date, scheduled_time, zone, utc_offset=utc_offset)


def estimate_total(*, service: Service, duration_minutes: int) -> Decimal:
    """Hourly: price per hour x hours, to the cent; fixed: the price."""
    if service.pricing_type == PricingType.HOURLY:
        total = service.base_price * Decimal(duration_minutes) / Decimal(60)
        return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return service.base_price


def format_local(moment: datetime, zone) -> str:
    """`Mon 9 Mar 2026, 10:00 CDT`: how times read in messages."""
    local = moment.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} {local.tzname()}"


@dataclass(frozen=True)
class SlotProblem:
    """Why a start time cannot be booked; `taken` when only other bookings stand in the way."""

    message: str
    taken: bool = False


@dataclass(frozen=True)
class Preloaded:
    """What a SlotFinder reads for its provider, when the caller has already read it (for
    many providers at once): weekly (weekday, start, end) rows, (first, last) days off, and
    the active bookings' (starts_at, blocked_until) over the finder's days."""

    weekly: list
    time_off: list
    busy: list


def preload(provider_ids, *, first: date, last: date) -> dict[int, Preloaded]:
    """What SlotFinders read, for many providers at once in three queries: weekly hours,
    days off and active bookings over the UTC days `first` to `last` (take a day either side
    of the local days wanted: that covers every zone)."""
    provider_ids = list(provider_ids)
    weekly, time_off, busy = defaultdict(list), defaultdict(list), defaultdict(list)
    for pk, *row in WeeklyAvailability.objects.filter(provider_id__in=provider_ids).values_list(
        "provider_id", "weekday", "start_time", "end_time"
    ):
        weekly[pk].append(tuple(row))
    for pk, *row in TimeOff.objects.filter(
        provider_id__in=provider_ids, start_date__lte=last, end_date__gte=first
    ).values_list("provider_id", "start_date", "end_date"):
        time_off[pk].append(tuple(row))
    for pk, *row in Booking.objects.filter(
        provider_id__in=provider_ids,
        status__in=ACTIVE_STATUSES,
        starts_at__lt=datetime.combine(last + timedelta(days=1), time.min, tzinfo=UTC),
        blocked_until__gt=datetime.combine(first, time.min, tzinfo=UTC),
    ).values_list("provider_id", "starts_at", "blocked_until"):
        busy[pk].append(tuple(row))
    return {
        pk: Preloaded(weekly=weekly[pk], time_off=time_off[pk], busy=busy[pk])
        for pk in provider_ids
    }


class SlotFinder:
    """Free slots of one service over a range of local dates, loaded in a constant number
    of queries (schedule, weekly hours, time off, bookings) however long the range."""

    def __init__(
        self,
        *,
        service: Service,
        first_day: date,
        last_day: date,
        now: datetime | None = None,
        duration_minutes: int | None = None,
        rescheduling: Booking | None = None,
        schedule: ProviderSchedule | None = None,
        preloaded: "Preloaded | None" = None,
    ):
        self.service = service
        self.provider = service.provider
        self.rescheduling = rescheduling
        self.schedule = schedule or schedule_for(self.provider)
        self.zone = self.schedule.zone
        # UTC, so that adding the notice counts real hours.
        self.now = (now or timezone.now()).astimezone(UTC)
        if duration_minutes is None:
            duration_minutes = (
                rescheduling.estimated_duration_minutes
                if rescheduling
                else service.duration_minutes
            )
        self.duration = timedelta(minutes=duration_minutes)
        self.blocked = self.duration + timedelta(minutes=self.schedule.buffer_minutes)
        self.step = timedelta(minutes=conf.SLOT_STEP_MINUTES)
        self.earliest = self.now + timedelta(hours=self.schedule.min_notice_hours)
        self.today = self.now.astimezone(self.zone).date()
        self.last_bookable_day = self.today + timedelta(days=self.schedule.max_advance_days)
        self.first_day, self.last_day = first_day, last_day
        # Only days inside the booking window can have slots: load data for those alone.
        # This also keeps date arithmetic away from the calendar's ends (year 1, 9999),
        # where a date typed into a URL would otherwise overflow.
        self.load_from = max(first_day, self.today)
        self.load_until = min(last_day, self.last_bookable_day)

        if preloaded is None:
            preloaded = Preloaded(
                weekly=self._load_weekly(),
                time_off=self._load_time_off(),
                busy=self._load_busy(rescheduling),
            )
        self.windows = self._windows_of(preloaded.weekly)
        self.days_off = self._days_off_of(preloaded.time_off)
        self.busy = sorted(preloaded.busy)
        # For _is_busy's binary search: starts ascending, and the latest end among the
        # intervals up to each one (intervals may overlap where no constraint keeps them
        # apart, as on SQLite), so one lookup answers for any number of bookings.
        self._busy_starts = [busy_start for busy_start, _ in self.busy]
        self._latest_ends = list(accumulate((busy_end for _, busy_end in self.busy), max))
        # Each day's working hours as real instants, worked out once and shared with the
        # finders for_duration makes (the zone arithmetic is most of a day's cost).
        self._real_windows = {}

    def for_duration(self, minutes: int) -> "SlotFinder":
        """The same provider's loaded hours, days off and bookings, for a job of `minutes`:
        the free days of all their services from one load (booking.free_days)."""
        other = copy.copy(self)
        other.duration = timedelta(minutes=minutes)
        other.blocked = other.duration + timedelta(minutes=self.schedule.buffer_minutes)
        return other

    # Loading -----------------------------------------------------------------------------

    def _local_midnight(self, day: date) -> datetime:
        return datetime.combine(day, time.min, tzinfo=self.zone).astimezone(UTC)

    def _load_weekly(self) -> list[tuple[int, time, time]]:
        return list(
            WeeklyAvailability.objects.filter(provider=self.provider).values_list(
                "weekday", "start_time", "end_time"
            )
        )

    def _load_time_off(self) -> list[tuple[date, date]]:
        if self.load_from > self.load_until:
            return []
        return list(
            TimeOff.objects.filter(
                provider=self.provider,
                start_date__lte=self.load_until,
                end_date__gte=self.load_from,
            ).values_list("start_date", "end_date")
        )

    @staticmethod
    def _windows_of(weekly) -> dict[int, list[tuple[time, time]]]:
        by_weekday = defaultdict(list)
        for weekday, start_time, end_time in sorted(weekly):
            intervals = by_weekday[weekday]
            if intervals and start_time <= intervals[-1][1]:
                # Touching (or, if bad data slipped in, overlapping) intervals are one window.
                intervals[-1] = (intervals[-1][0], max(intervals[-1][1], end_time))
            else:
                intervals.append((start_time, end_time))
        return by_weekday

    def _days_off_of(self, time_off) -> set[date]:
        days = set()
        if self.load_from > self.load_until:
            return days
        for start, end in time_off:
            day = max(start, self.load_from)
            while day <= min(end, self.load_until):
                days.add(day)
                day += timedelta(days=1)
        return days

    def _load_busy(self, rescheduling) -> list[tuple[datetime, datetime]]:
        # Working intervals never cross local midnight, so bookings overlapping the range's
        # local days are all that can collide with its slots.
        if self.load_from > self.load_until:
            return []
        bookings = Booking.objects.filter(
            provider=self.provider,
            status__in=ACTIVE_STATUSES,
            starts_at__lt=self._local_midnight(self.load_until + timedelta(days=1)),
            blocked_until__gt=self._local_midnight(self.load_from),
        )
        if rescheduling is not None:
            bookings = bookings.exclude(pk=rescheduling.pk)
        return list(bookings.values_list("starts_at", "blocked_until"))

    # Computing ---------------------------------------------------------------------------

    def _is_busy(self, start: datetime) -> bool:
        """Whether [start, start + duration + buffer) overlaps a booking: the latest end of
        the bookings starting before its end lies after its start."""
        end = start + self.blocked
        before_end = bisect_left(self._busy_starts, end)
        return before_end > 0 and self._latest_ends[before_end - 1] > start

    def _real_window(self, day: date, start_time: time, end_time: time):
        """clock.window for this provider's zone, worked out once per day and interval."""
        key = (day, start_time, end_time)
        if key not in self._real_windows:
            self._real_windows[key] = clock.window(day, start_time, end_time, self.zone)
        return self._real_windows[key]

    def _candidates(self, day: date):
        """Every start the working hours of `day` allow, notice and horizon aside."""
        for start_time, end_time in self.windows.get(day.weekday(), ()):
            window_start, window_end = self._real_window(day, start_time, end_time)
            start = window_start
            while start + self.duration <= window_end:
                yield start
                start += self.step

    def _day_is_open(self, day: date) -> bool:
        return (
            self.first_day <= day <= self.last_day
            and self.today <= day <= self.last_bookable_day
            and day not in self.days_off
        )

    def slots(self, day: date) -> list[datetime]:
        """Free starts on a local `day`, aware, in the provider's time zone, ascending."""
        if not self._day_is_open(day):
            return []
        return [
            start.astimezone(self.zone)
            for start in self._candidates(day)
            if start >= self.earliest and not self._is_busy(start)
        ]

    def last_slot(self, day: date) -> datetime | None:
        """The latest free start on a local `day` (as `slots(day)[-1]`), looking from the end:
        one check on a day with room late, whatever its length."""
        if not self._day_is_open(day):
            return None
        for start in self._candidates_latest_first(day):
            if start < self.earliest:
                return None
            if not self._is_busy(start):
                return start.astimezone(self.zone)
        return None

    def _candidates_latest_first(self, day: date):
        """`_candidates(day)` in reverse, without making the earlier ones: the windows are
        joined and apart, so the last window's last start comes first."""
        for start_time, end_time in reversed(self.windows.get(day.weekday(), ())):
            window_start, window_end = self._real_window(day, start_time, end_time)
            if window_start + self.duration > window_end:
                continue
            steps = (window_end - self.duration - window_start) // self.step
            for k in range(steps, -1, -1):
                yield window_start + k * self.step

    def days(self):
        day = self.first_day
        while day <= self.last_day:
            yield day
            day += timedelta(days=1)

    def problem_with(self, starts_at: datetime) -> SlotProblem | None:
        """None if `starts_at` is a free slot, else what stands in the way, in plain words."""
        if timezone.is_naive(starts_at):
            raise ValueError("starts_at must be an aware datetime.")
        # Compare in UTC: Python never finds an aware time in a zone's repeated (fall-back)
        # hour equal to a time in another zone, even when both are the same instant.
        starts_at = starts_at.astimezone(UTC)
        day = starts_at.astimezone(self.zone).date()
        name = self.provider.display_name
        if starts_at <= self.now:
            return SlotProblem("That time has already passed. Please choose another.")
        if starts_at < self.earliest:
            hours = self.schedule.min_notice_hours
            return SlotProblem(
                f"{name} needs at least {hours} hours' notice: the earliest possible start "
                f"is {format_local(self.earliest, self.zone)}."
            )
        if day > self.last_bookable_day:
            return SlotProblem(
                f"{name} takes bookings at most {self.schedule.max_advance_days} days ahead."
            )
        if day in self.days_off:
            return SlotProblem(f"{name} is away on {day:%A} {day.day} {day:%B}.")
        if starts_at not in set(self._candidates(day)):
            minutes = int(self.duration.total_seconds() // 60)
            return SlotProblem(
                f"{name} isn't available for {minutes} minutes from "
                f"{format_local(starts_at, self.zone)}. Please choose one of the free times."
            )
        if self._is_busy(starts_at):
            return SlotProblem("This time was just taken. Please choose another.", taken=True)
        return None


def free_slots(
    *,
    service: Service,
    date: date,
    now: datetime | None = None,
    duration_minutes: int | None = None,
    rescheduling: Booking | None = None,
) -> list[datetime]:
    """Free start times of `service` on a local date (the provider's), aware, ascending.

    `duration_minutes` defaults to the service's; pass `rescheduling=booking` to offer the
    times that booking could move to (its own time then does not block it).
    """
    finder = SlotFinder(
        service=service,
        first_day=date,
        last_day=date,
        now=now,
        duration_minutes=duration_minutes,
        rescheduling=rescheduling,
    )
    return finder.slots(date)


def bookable_dates(
    *,
    service: Service,
    start: date,
    days: int,
    now: datetime | None = None,
    duration_minutes: int | None = None,
    rescheduling: Booking | None = None,
) -> list[date]:
    """The local dates among `days` days from `start` with at least one free slot."""
    if days < 1:
        return []
    finder = SlotFinder(
        service=service,
        first_day=start,
        last_day=start + timedelta(days=days - 1),
        now=now,
        duration_minutes=duration_minutes,
        rescheduling=rescheduling,
    )
    return [day for day in finder.days() if finder.slots(day)]


def next_free_slots(
    *,
    service: Service,
    after: datetime,
    limit: int = 3,
    now: datetime | None = None,
    duration_minutes: int | None = None,
    rescheduling: Booking | None = None,
) -> list[datetime]:
    """Up to `limit` free starts later than `after`, soonest first (for "just taken")."""
    now = now or timezone.now()
    schedule = schedule_for(service.provider)
    first_day = max(after, now).astimezone(schedule.zone).date()
    horizon = now.astimezone(schedule.zone).date() + timedelta(days=schedule.max_advance_days)
    found = []
    while first_day <= horizon and len(found) < limit:
        last_day = min(first_day + timedelta(days=_LOOKAHEAD_CHUNK_DAYS - 1), horizon)
        finder = SlotFinder(
            service=service,
            first_day=first_day,
            last_day=last_day,
            now=now,
            duration_minutes=duration_minutes,
            rescheduling=rescheduling,
            schedule=schedule,
        )
        for day in finder.days():
            # In UTC: within one zone Python compares wall-clock readings, so the second
            # pass of a repeated hour would look earlier than the first.
            found.extend(
                slot for slot in finder.slots(day) if slot.astimezone(UTC) > after.astimezone(UTC)
            )
        first_day = last_day + timedelta(days=1)
    return found[:limit]


# Lists and details ---------------------------------------------------------------------------

# Everything a booking row on a dashboard shows, fetched with the booking.
LIST_RELATED = ("service", "provider__user", "customer", "service_city")


def _upcoming(now: datetime) -> Q:
    # A job under way is "upcoming" until the provider completes it, even if it overruns.
    return Q(status__in=ACTIVE_STATUSES, ends_at__gt=now) | Q(status=BookingStatus.IN_PROGRESS)


def _split(bookings: QuerySet, *, upcoming: bool, now: datetime | None) -> QuerySet:
    now = now or timezone.now()
    if upcoming:
        return bookings.filter(_upcoming(now)).order_by("starts_at", "pk")
    return bookings.exclude(_upcoming(now)).order_by("-starts_at", "-pk")


def booking_list(*, user, status: str | None = None, upcoming: bool | None = None) -> QuerySet:
    """The bookings `user` may see, of one status if asked: all of them most recent first,
    or the dashboards' upcoming (soonest first) or past (most recent first) ones."""
    bookings = bookings_visible_to(user)
    if status is not None:
        bookings = bookings.filter(status=status)
    if upcoming is None:
        return bookings.order_by("-starts_at", "-pk")
    return _split(bookings, upcoming=upcoming, now=None)


def customer_bookings(*, customer, upcoming: bool = True, now: datetime | None = None) -> QuerySet:
    """A customer's bookings: upcoming (active, not yet over) soonest first, or the rest
    (past, cancelled, declined, expired) most recent first."""
    bookings = Booking.objects.filter(customer=customer).select_related(*LIST_RELATED)
    return _split(bookings, upcoming=upcoming, now=now)


def provider_bookings(
    *, provider: ServiceProviderProfile, upcoming: bool = True, now: datetime | None = None
) -> QuerySet:
    """A provider's bookings, split like `customer_bookings`."""
    bookings = Booking.objects.filter(provider=provider).select_related(*LIST_RELATED)
    return _split(bookings, upcoming=upcoming, now=now)


def provider_requests(*, provider: ServiceProviderProfile) -> QuerySet:
    """Requests waiting for the provider's answer, soonest job first."""
    return (
        Booking.objects.filter(provider=provider, status=BookingStatus.PENDING)
        .select_related(*LIST_RELATED)
        .order_by("starts_at", "pk")
    )


def provider_agenda(
    *, provider: ServiceProviderProfile, start: date, days: int = 1, schedule=None
) -> QuerySet:
    """Confirmed, running and completed jobs on `days` local dates from `start` (today, a
    week); pass the `schedule` the caller already read to spare reading it again."""
    zone = (schedule or schedule_for(provider)).zone
    since = datetime.combine(start, time.min, tzinfo=zone)
    until = datetime.combine(start + timedelta(days=days), time.min, tzinfo=zone)
    return (
        Booking.objects.filter(
            provider=provider,
            status__in=(
                BookingStatus.CONFIRMED,
                BookingStatus.IN_PROGRESS,
                BookingStatus.COMPLETED,
            ),
            starts_at__gte=since,
            starts_at__lt=until,
        )
        .select_related(*LIST_RELATED)
        .order_by("starts_at", "pk")
    )


def bookings_visible_to(user) -> QuerySet:
    """The bookings `user` may see: their own as customer or provider; all for admins."""
    bookings = Booking.objects.select_related(*LIST_RELATED)
    if user.is_marketplace_staff:
        return bookings
    if user.is_provider:
        return bookings.filter(provider__user=user)
    return bookings.filter(customer=user)


def with_known_history(booking: Booking, entries: list[BookingStatusHistory]) -> Booking:
    """`booking` with `entries` as its prefetched history (all of it, as just written), so a
    detail answer reads nothing more."""
    history = booking.history.all()
    history._result_cache = list(entries)
    history._prefetch_done = True
    booking._prefetched_objects_cache = {"history": history}
    return booking


def booking_for_user(*, user, reference: str) -> Booking:
    """One booking by reference with its history, if `user` may see it; else
    Booking.DoesNotExist (pages and the API answer 404 either way)."""
    history = BookingStatusHistory.objects.select_related("changed_by")
    return (
        bookings_visible_to(user)
        .prefetch_related(Prefetch("history", queryset=history))
        .get(booking_reference=reference.strip().upper())
    )


def bookings_by_status_since(since: datetime) -> dict[str, int]:
    """{status label: count} of bookings created since `since`, in the statuses' order."""
    counts = dict(
        Booking.objects.filter(created_at__gte=since)
        .values_list("status")
        .annotate(total=Count("pk"))
        .values_list("status", "total")
    )
    return {status.label: counts[status] for status in BookingStatus if status in counts}


def provider_figures(
    *, provider: ServiceProviderProfile, schedule, now: datetime | None = None
) -> dict:
    """The provider dashboard's figures: requests to answer, today's and upcoming jobs, jobs
    done in the last 30 days, ratings and services. Two queries (bookings, services)."""
    now = now or timezone.now()
    zone = schedule.zone
    today = now.astimezone(zone).date()
    day_start = datetime.combine(today, time.min, tzinfo=zone)
    day_end = datetime.combine(today + timedelta(days=1), time.min, tzinfo=zone)
    working = (BookingStatus.CONFIRMED, BookingStatus.IN_PROGRESS)
    bookings = Booking.objects.filter(provider=provider).aggregate(
        pending=Count("pk", filter=Q(status=BookingStatus.PENDING)),
        today=Count(
            "pk", filter=Q(status__in=working, starts_at__gte=day_start, starts_at__lt=day_end)
        ),
        upcoming=Count("pk", filter=Q(status=BookingStatus.CONFIRMED, starts_at__gt=now)),
        completed=Count(
            "pk",
            filter=Q(
                status=BookingStatus.COMPLETED, status_changed_at__gte=now - timedelta(days=30)
            ),
        ),
    )
    offered = Service.objects.filter(provider=provider).aggregate(
        listed=Count("pk", filter=Q(is_active=True)),
        paused=Count("pk", filter=Q(is_active=False)),
    )
    return {
        "pending_requests": bookings["pending"],
        "jobs_today": bookings["today"],
        "upcoming_jobs": bookings["upcoming"],
        "completed_last_30_days": bookings["completed"],
        "rating_average": provider.rating_average,
        "review_count": provider.review_count,
        "listed_services": offered["listed"],
        "paused_services": offered["paused"],
        "time_zone": schedule.time_zone,
    }
