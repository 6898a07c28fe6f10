"""Reads of insights: a provider's figures for a period beside the one before, the funnel per
service, the weekly series behind the charts, the CSV's rows, the overview on /me/ and the
drift between the rollups and a recount. The page's queries are a fixed handful whatever
the history: they add up rollup rows (at most two periods of days)."""

import json
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.models import ServiceProviderProfile
from booking.models import Booking, BookingStatus
from booking.selectors import schedule_for

from .models import BOOKING_COLUMNS, EarningsDay, ServiceDay
from .services import day_start, first_activity_day, recount

S = BookingStatus

PERIODS = {"7d": 7, "30d": 30, "90d": 90, "365d": 365}
DEFAULT_PERIOD = "30d"
SUMMED = [name for name in BOOKING_COLUMNS if name != "answer_seconds"] + ["views"]


@dataclass
class Period:
    key: str
    days: int
    first: date
    last: date
    previous_first: date
    previous_last: date

    @classmethod
    def ending(cls, key: str, today: date) -> "Period":
        days = PERIODS[key]
        first = today - timedelta(days=days - 1)
        return cls(
            key=key,
            days=days,
            first=first,
            last=today,
            previous_first=first - timedelta(days=days),
            previous_last=first - timedelta(days=1),
        )


@dataclass
class Figures:
    """One period's figures; rates and medians are None when there is nothing to measure."""

    views: int = 0
    requests: int = 0
    accepted: int = 0
    declined: int = 0
    expired: int = 0
    completed: int = 0
    cancelled_by_customer: int = 0
    cancelled_by_provider: int = 0
    cancelled_by_marketplace: int = 0
    answers: int = 0
    review_count: int = 0
    rating_sum: int = 0
    median_answer_seconds: float | None = None
    repeat_customers: int = 0
    earnings: dict = field(default_factory=dict)  # currency -> Decimal

    @property
    def cancelled(self) -> int:
        return (
            self.cancelled_by_customer + self.cancelled_by_provider + self.cancelled_by_marketplace
        )

    @property
    def confirmed(self) -> int:
        return self.accepted

    @property
    def acceptance_rate(self) -> float | None:
        """Accepted out of the requests decided: accepted, declined or left to expire."""
        decided = self.accepted + self.declined + self.expired
        return self.accepted / decided if decided else None

    @property
    def average_rating(self) -> float | None:
        return self.rating_sum / self.review_count if self.review_count else None

    def add(self, row: dict) -> None:
        for name in SUMMED:
            setattr(self, name, getattr(self, name) + (row.get(name) or 0))

    def as_dict(self) -> dict:
        return {
            "views": self.views,
            "requests": self.requests,
            "acceptance_rate": _rounded(self.acceptance_rate, 4),
            "median_answer_minutes": _rounded(
                None if self.median_answer_seconds is None else self.median_answer_seconds / 60, 1
            ),
            "confirmed": self.confirmed,
            "declined": self.declined,
            "completed": self.completed,
            "cancelled": {
                "total": self.cancelled,
                "by_customer": self.cancelled_by_customer,
                "by_provider": self.cancelled_by_provider,
                "by_marketplace": self.cancelled_by_marketplace,
            },
            "expired": self.expired,
            "earnings": {code: str(amount) for code, amount in sorted(self.earnings.items())},
            "reviews": self.review_count,
            "average_rating": _rounded(self.average_rating, 2),
            "repeat_customers": self.repeat_customers,
        }


def _rounded(value, places):
    return None if value is None else round(value, places)


@dataclass
class FunnelRow:
    service_id: int
    title: str
    views: int
    requests: int
    confirmed: int
    completed: int

    def as_dict(self) -> dict:
        return {
            "service_id": self.service_id,
            "title": self.title,
            "views": self.views,
            "requests": self.requests,
            "confirmed": self.confirmed,
            "completed": self.completed,
        }


@dataclass
class Bucket:
    first: date
    last: date
    requests: int = 0
    completed: int = 0
    earnings: Decimal = Decimal("0")
    review_count: int = 0
    rating_sum: int = 0

    @property
    def average_rating(self) -> float | None:
        return self.rating_sum / self.review_count if self.review_count else None


@dataclass
class Insights:
    provider: ServiceProviderProfile
    period: Period
    zone_name: str
    current: Figures
    previous: Figures
    funnel: list
    buckets: list
    bucket_days: int
    main_currency: str

    def as_dict(self) -> dict:
        return {
            "period": self.period.key,
            "time_zone": self.zone_name,
            "current": {
                "first_day": self.period.first.isoformat(),
                "last_day": self.period.last.isoformat(),
                **self.current.as_dict(),
            },
            "previous": {
                "first_day": self.period.previous_first.isoformat(),
                "last_day": self.period.previous_last.isoformat(),
                **self.previous.as_dict(),
            },
            "funnel": [row.as_dict() for row in self.funnel],
        }


def insights_for(
    provider: ServiceProviderProfile, period_key: str = DEFAULT_PERIOD, *, now=None
) -> Insights:
    """The provider's figures for the period ending today (their local day), the period
    before it, the funnel per service and the series of the charts; five queries."""
    schedule = schedule_for(provider, as_read=True)
    zone = schedule.zone
    today = (now or timezone.now()).astimezone(zone).date()
    period = Period.ending(period_key, today)
    current, previous = Figures(), Figures()
    # A day per bar for a week, else a week per bar (the last bar ends today).
    bucket_days = 1 if period.days <= 7 else 7
    buckets = []
    start = period.first
    while start <= period.last:
        end = min(start + timedelta(days=bucket_days - 1), period.last)
        buckets.append(Bucket(first=start, last=end))
        start = end + timedelta(days=1)

    def bucket_of(day: date) -> Bucket:
        return buckets[(day - period.first).days // bucket_days]

    rows = ServiceDay.objects.filter(
        provider=provider, day__gte=period.previous_first, day__lte=period.last
    )
    now_in = Q(day__gte=period.first)
    totals = rows.aggregate(
        **{f"current_{name}": Sum(name, filter=now_in) for name in SUMMED},
        **{f"previous_{name}": Sum(name, filter=~now_in) for name in SUMMED},
    )
    current.add({name: totals[f"current_{name}"] for name in SUMMED})
    previous.add({name: totals[f"previous_{name}"] for name in SUMMED})
    for row in (
        rows.filter(now_in)
        .values("day")
        .annotate(
            day_requests=Sum("requests"),
            day_completed=Sum("completed"),
            day_reviews=Sum("review_count"),
            day_rating=Sum("rating_sum"),
        )
        .order_by()
    ):
        bucket = bucket_of(row["day"])
        bucket.requests += row["day_requests"]
        bucket.completed += row["day_completed"]
        bucket.review_count += row["day_reviews"]
        bucket.rating_sum += row["day_rating"]
    # The waits as text, parsed in one go: a year is thousands of small lists.
    texts = {True: [], False: []}
    for day, text in (
        rows.filter(answers__gt=0)
        .annotate(text=Cast("answer_seconds", TextField()))
        .values_list("day", "text")
    ):
        texts[day >= period.first].append(text.strip()[1:-1])
    waits = {key: json.loads(f"[{','.join(filter(None, parts))}]") for key, parts in texts.items()}
    for figures, in_current in ((current, True), (previous, False)):
        if waits[in_current]:
            figures.median_answer_seconds = statistics.median(waits[in_current])

    earnings = (
        EarningsDay.objects.filter(
            provider=provider, day__gte=period.previous_first, day__lte=period.last
        )
        .values_list("day", "currency", "amount")
        .order_by()
    )
    by_currency = {}
    for day, currency, amount in earnings:
        figures = current if day >= period.first else previous
        figures.earnings[currency] = figures.earnings.get(currency, Decimal("0")) + amount
        if day >= period.first:
            by_currency.setdefault(currency, []).append((day, amount))
    main_currency = max(current.earnings, key=current.earnings.get, default="")
    for day, amount in by_currency.get(main_currency, []):
        bucket_of(day).earnings += amount

    funnel = [
        FunnelRow(
            service_id=row["service_id"],
            title=row["service__title"],
            views=row["views"],
            requests=row["requests"],
            confirmed=row["accepted"],
            completed=row["completed"],
        )
        for row in rows.filter(day__gte=period.first)
        .values("service_id", "service__title")
        .annotate(
            views=Sum("views"),
            requests=Sum("requests"),
            accepted=Sum("accepted"),
            completed=Sum("completed"),
        )
        .order_by("-requests", "service__title")
    ]
    current.repeat_customers, previous.repeat_customers = _repeat_customers(provider, period, zone)
    return Insights(
        provider=provider,
        period=period,
        zone_name=schedule.time_zone,
        current=current,
        previous=previous,
        funnel=funnel,
        buckets=buckets,
        bucket_days=bucket_days,
        main_currency=main_currency,
    )


def _repeat_customers(provider, period: Period, zone) -> tuple[int, int]:
    """Customers with a job completed in each period who had had one completed before it
    (with this provider, at any time earlier): one query for both periods."""
    previous_start = day_start(period.previous_first, zone)
    current_start = day_start(period.first, zone)
    end = day_start(period.last + timedelta(days=1), zone)
    completed = Booking.objects.filter(
        provider=provider, status=S.COMPLETED, status_changed_at__lt=end
    )
    counts = (
        completed.values("customer_id")
        .annotate(
            before_previous=Count("id", filter=Q(status_changed_at__lt=previous_start)),
            in_previous=Count(
                "id",
                filter=Q(
                    status_changed_at__gte=previous_start, status_changed_at__lt=current_start
                ),
            ),
            in_current=Count("id", filter=Q(status_changed_at__gte=current_start)),
        )
        .order_by()
    )
    current = previous = 0
    for row in counts:
        # Repeat in a period: a job in it, and another one before its last (in it or earlier).
        if (
            row["in_current"]
            and row["before_previous"] + row["in_previous"] + row["in_current"] >= 2
        ):
            current += 1
        if row["in_previous"] and row["before_previous"] + row["in_previous"] >= 2:
            previous += 1
    return current, previous


def export_rows(provider: ServiceProviderProfile, period_key: str, *, now=None):
    """(header, rows) of the CSV: every booking requested or completed in the period, its
    earning counted when it was completed in it (their sum is the period's earnings)."""
    zone = schedule_for(provider).zone
    today = (now or timezone.now()).astimezone(zone).date()
    period = Period.ending(period_key, today)
    since, until = day_start(period.first, zone), day_start(period.last + timedelta(days=1), zone)
    completed_in = Q(status=S.COMPLETED, status_changed_at__gte=since, status_changed_at__lt=until)
    bookings = (
        Booking.objects.filter(provider=provider)
        .filter(Q(created_at__gte=since, created_at__lt=until) | completed_in)
        .select_related("service", "customer", "service_city")
        .annotate(earned=Count("id", filter=completed_in))
        .order_by("created_at", "id")
    )
    header = [
        "reference",
        "service",
        "requested_at",
        "starts_at",
        "status",
        "status_changed_at",
        "customer",
        "city",
        "currency",
        "estimated_total",
        "earned",
    ]

    def local(moment: datetime) -> str:
        return moment.astimezone(zone).isoformat(timespec="minutes")

    def rows():
        for booking in bookings.iterator(chunk_size=500):
            yield [
                booking.booking_reference,
                booking.service.title,
                local(booking.created_at),
                local(booking.starts_at),
                booking.get_status_display(),
                local(booking.status_changed_at),
                booking.customer.get_full_name() or booking.customer.email,
                str(booking.service_city),
                booking.currency,
                str(booking.estimated_total),
                str(booking.estimated_total if booking.earned else Decimal("0.00")),
            ]

    return period, header, rows()


@dataclass
class Overview:
    today: date
    todays_jobs: list
    waiting: list
    waiting_count: int
    month_earnings: dict


def overview(provider: ServiceProviderProfile, *, now=None) -> Overview:
    """The dashboard home's figures: today's jobs, the requests waiting (oldest first, with
    how long), this month's earnings per currency; four queries."""
    now = now or timezone.now()
    zone = schedule_for(provider, as_read=True).zone
    today = now.astimezone(zone).date()
    since, until = day_start(today, zone), day_start(today + timedelta(days=1), zone)
    bookings = Booking.objects.filter(provider=provider)
    todays_jobs = list(
        bookings.filter(
            status__in=(S.CONFIRMED, S.IN_PROGRESS, S.COMPLETED),
            starts_at__gte=since,
            starts_at__lt=until,
        )
        .select_related("service", "customer", "service_city")
        .order_by("starts_at")[:20]
    )
    pending = bookings.filter(status=S.PENDING)
    waiting = list(pending.select_related("service", "customer").order_by("created_at")[:5])
    for booking in waiting:
        booking.waited = now - booking.created_at
    month_start = day_start(today.replace(day=1), zone)
    month = (
        bookings.filter(status=S.COMPLETED, status_changed_at__gte=month_start)
        .values("currency")
        .annotate(total=Sum("estimated_total"))
        .order_by("currency")
    )
    return Overview(
        today=today,
        todays_jobs=todays_jobs,
        waiting=waiting,
        waiting_count=pending.count(),
        month_earnings={row["currency"]: row["total"] for row in month},
    )


@dataclass
class Drift:
    provider_id: int
    key: tuple
    stored: object
    counted: object

    def __str__(self):
        return (
            f"provider {self.provider_id} {self.key}: stored {self.stored}, recount {self.counted}"
        )


@dataclass
class DriftReport:
    checked: int = 0
    drifts: list = field(default_factory=list)

    @property
    def providers(self) -> set:
        return {drift.provider_id for drift in self.drifts}


def rollup_drift(*, now=None, providers=None) -> DriftReport:
    """Each provider's stored rollups against a recount of their whole history."""
    report = DriftReport()
    queryset = ServiceProviderProfile.objects.all() if providers is None else providers
    for provider in queryset.order_by("pk"):
        zone = schedule_for(provider).zone
        first = first_activity_day(provider, zone)
        if first is None:
            continue
        last = (now or timezone.now()).astimezone(zone).date()
        figures, earnings = recount(provider, first, last, zone)
        stored = {
            (row["service_id"], row["day"]): row
            for row in ServiceDay.objects.filter(provider=provider).values(
                "service_id", "day", *BOOKING_COLUMNS
            )
        }
        for key in stored.keys() | figures.keys():
            counted = figures.get(key) or {
                name: ([] if name == "answer_seconds" else 0) for name in BOOKING_COLUMNS
            }
            row = stored.get(key) or {}
            have = {
                name: row.get(name, [] if name == "answer_seconds" else 0)
                for name in BOOKING_COLUMNS
            }
            report.checked += 1
            if have != counted:
                changed = {name for name in BOOKING_COLUMNS if have[name] != counted[name]}
                report.drifts.append(
                    Drift(
                        provider.pk,
                        key,
                        {name: have[name] for name in sorted(changed)},
                        {name: counted[name] for name in sorted(changed)},
                    )
                )
        stored_earnings = {
            (day, currency): (amount, jobs)
            for day, currency, amount, jobs in EarningsDay.objects.filter(
                provider=provider
            ).values_list("day", "currency", "amount", "jobs")
        }
        for key in stored_earnings.keys() | earnings.keys():
            report.checked += 1
            if stored_earnings.get(key) != earnings.get(key):
                report.drifts.append(
                    Drift(
                        provider.pk, ("earnings", *key), stored_earnings.get(key), earnings.get(key)
                    )
                )
    return report
