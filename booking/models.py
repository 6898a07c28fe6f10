"""Availability (schedules, weekly hours, time off) and bookings with their status history.

Times: `Booking.starts_at`/`ends_at` are aware UTC instants; working hours and time off are
local wall-clock times and dates in the provider's schedule time zone, turned into instants
for each date with zoneinfo (see selectors.free_slots), so daylight saving never moves them.
"""

import functools
import secrets
import zoneinfo
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.postgres.fields import RangeBoundary, RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from accounts.models import City, ServiceProviderProfile
from catalog.models import PricingType, Service
from core.postgres import PostgresExclusionConstraint, TsTzRange

from . import conf

NOTES_MAX_LENGTH = 1000
# An hourly job is booked for its service's duration or longer, in steps of this many minutes.
DURATION_STEP_MINUTES = 15
MIN_PENDING_EXPIRY_HOURS = 1


@functools.cache
def _time_zone_names() -> frozenset[str]:
    # available_timezones() walks the tzdata directory on every call.
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value):
    # A validator rather than `choices`: a choices list would freeze this machine's tzdata
    # into the migration and make it churn whenever tzdata changes.
    if value not in _time_zone_names():
        raise ValidationError(f"“{value}” is not a time zone name such as America/Chicago.")


# A new schedule's defaults come from booking.conf at creation time; callables keep the
# configured values out of the migrations.
def default_buffer_minutes():
    return conf.DEFAULT_BUFFER_MINUTES


def default_min_notice_hours():
    return conf.DEFAULT_MIN_NOTICE_HOURS


def default_max_advance_days():
    return conf.DEFAULT_MAX_ADVANCE_DAYS


def default_cancellation_free_hours():
    return conf.DEFAULT_CANCELLATION_FREE_HOURS


def default_pending_expiry_hours():
    return conf.DEFAULT_PENDING_EXPIRY_HOURS


def new_calendar_token():
    return secrets.token_urlsafe(32)


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class ProviderSchedule(models.Model):
    """A provider's booking rules; one per provider, created on first use."""

    provider = models.OneToOneField(
        ServiceProviderProfile, on_delete=models.CASCADE, related_name="schedule"
    )
    time_zone = models.CharField(
        max_length=64,
        validators=[validate_time_zone],
        help_text="Working hours and days off are read in this time zone.",
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        default=default_buffer_minutes,
        validators=[MaxValueValidator(240)],
        help_text="Free time kept after each job (travel, cleaning up).",
    )
    min_notice_hours = models.PositiveSmallIntegerField(
        default=default_min_notice_hours,
        validators=[MaxValueValidator(24 * 30)],
        help_text="How soon a job may start after it is requested.",
    )
    max_advance_days = models.PositiveSmallIntegerField(
        default=default_max_advance_days,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="How many days ahead customers may book.",
    )
    cancellation_free_hours = models.PositiveSmallIntegerField(
        default=default_cancellation_free_hours,
        validators=[MaxValueValidator(24 * 14)],
        help_text="Customers may cancel a confirmed job until this many hours before it starts.",
    )
    pending_expiry_hours = models.PositiveSmallIntegerField(
        default=default_pending_expiry_hours,
        validators=[MinValueValidator(MIN_PENDING_EXPIRY_HOURS), MaxValueValidator(24 * 7)],
        help_text="An unanswered request expires after this many hours.",
    )
    # The secret in the provider's private calendar-feed address; a new one revokes the old.
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_advance_days__gte=1, pending_expiry_hours__gte=1),
                name="booking_schedule_positive_windows",
            ),
        ]

    def __str__(self):
        return f"Schedule of {self.provider}"

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)


class WeeklyAvailability(models.Model):
    """One working interval on a weekday, in local wall-clock time; a day may have several."""

    provider = models.ForeignKey(
        ServiceProviderProfile, on_delete=models.CASCADE, related_name="weekly_availability"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday)
    start_time = models.TimeField()
    end_time = models.TimeField()

    class Meta:
        ordering = ["weekday", "start_time"]
        verbose_name_plural = "weekly availability"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_time__lt=models.F("end_time")),
                name="booking_availability_starts_before_end",
            ),
            models.CheckConstraint(
                condition=models.Q(weekday__lte=6), name="booking_availability_weekday"
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def clean(self):
        if self.start_time and self.end_time and self.start_time >= self.end_time:
            raise ValidationError("The interval must end after it starts.")


class TimeOff(models.Model):
    """Whole local days (inclusive) on which the provider takes no bookings."""

    provider = models.ForeignKey(
        ServiceProviderProfile, on_delete=models.CASCADE, related_name="time_off"
    )
    start_date = models.DateField()
    end_date = models.DateField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start_date"]
        verbose_name_plural = "time off"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="booking_time_off_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.start_date}–{self.end_date}"


class BookingStatus(models.TextChoices):
    PENDING = "PENDING", "Pending"
    CONFIRMED = "CONFIRMED", "Confirmed"
    REJECTED = "REJECTED", "Declined"
    CANCELLED = "CANCELLED", "Cancelled"
    EXPIRED = "EXPIRED", "Expired"
    IN_PROGRESS = "IN_PROGRESS", "In progress"
    COMPLETED = "COMPLETED", "Completed"


# Bookings in these states hold the provider's time; the others free it.
ACTIVE_STATUSES = (BookingStatus.PENDING, BookingStatus.CONFIRMED, BookingStatus.IN_PROGRESS)

# Crockford's base-32 letters without 0/O, 1/I/L (and U): nothing to misread over the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_booking_reference():
    """`BK-7Q4K-9MZD`: 30**8 (about 6.6e11) possibilities, drawn with `secrets`."""
    groups = ("".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(4)) for _ in range(2))
    return "BK-" + "-".join(groups)


class Booking(models.Model):
    booking_reference = models.CharField(
        max_length=12, unique=True, default=new_booking_reference, editable=False
    )
    # Both composite indexes below start with these columns, so no separate index on them.
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings", db_index=False
    )
    provider = models.ForeignKey(
        ServiceProviderProfile, on_delete=models.PROTECT, related_name="bookings", db_index=False
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="bookings")
    status = models.CharField(max_length=16, choices=BookingStatus, default=BookingStatus.PENDING)
    status_changed_at = models.DateTimeField(default=timezone.now)

    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # End of the provider's buffer after the job: the exclusion constraint keeps
    # [starts_at, blocked_until) of active bookings apart, so buffers hold in the database too.
    blocked_until = models.DateTimeField()
    # The schedule's time zone when booked: what scheduled_date/scheduled_time are read in.
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    estimated_duration_minutes = models.PositiveIntegerField()
    # The cancellation terms the customer booked under, kept if the provider changes them.
    cancellation_free_hours = models.PositiveSmallIntegerField()

    service_address = models.CharField(max_length=255)
    service_city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="bookings")
    service_state = models.CharField(max_length=100, blank=True)
    service_postal_code = models.CharField(max_length=20)
    customer_notes = models.TextField(max_length=NOTES_MAX_LENGTH, blank=True)

    # Price snapshot: what the customer agreed to, whatever the service costs later.
    base_price = models.DecimalField(max_digits=10, decimal_places=2)
    pricing_type = models.CharField(max_length=8, choices=PricingType)
    currency = models.CharField(max_length=3)
    estimated_total = models.DecimalField(max_digits=12, decimal_places=2)
    # `Q-…` when the price comes from an accepted quote (quotes app), blank otherwise.
    quote_reference = models.CharField(max_length=12, blank=True, default="", editable=False)

    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancellation_reason = models.TextField(max_length=NOTES_MAX_LENGTH, blank=True)
    # Set when the day-before reminder went out, so the periodic job sends it once.
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["customer", "starts_at"], name="booking_customer_starts_idx"),
            models.Index(
                fields=["provider", "status", "starts_at"], name="booking_provider_status_idx"
            ),
            # The expiry job: PENDING requests by how long they have waited.
            models.Index(fields=["status", "status_changed_at"], name="booking_status_since_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="booking_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(blocked_until__gte=models.F("ends_at")),
                name="booking_blocked_until_after_end",
            ),
            models.CheckConstraint(
                condition=models.Q(estimated_total__gte=0), name="booking_total_not_negative"
            ),
            # Never a double booking: no two active bookings of one provider may overlap,
            # buffer included. Needs btree_gist for `=` on the provider id inside a GiST index.
            PostgresExclusionConstraint(
                name="booking_no_overlap_per_provider",
                expressions=[
                    ("provider", RangeOperators.EQUAL),
                    (
                        TsTzRange("starts_at", "blocked_until", RangeBoundary()),
                        RangeOperators.OVERLAPS,
                    ),
                ],
                condition=models.Q(status__in=ACTIVE_STATUSES),
                violation_error_message="The provider is already booked at that time.",
            ),
        ]

    def __str__(self):
        return self.booking_reference

    def get_absolute_url(self):
        return reverse("booking:detail", args=[self.booking_reference])

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_starts_at(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_ends_at(self) -> datetime:
        return self.ends_at.astimezone(self.zone)

    @property
    def scheduled_date(self):
        return self.local_starts_at.date()

    @property
    def scheduled_time(self):
        return self.local_starts_at.time().replace(tzinfo=None)

    @property
    def free_cancellation_until(self) -> datetime | None:
        """Until when the customer may cancel a confirmed job for free; None when the booking
        was made inside that period, so it never had free cancellation."""
        return free_cancellation_deadline(
            starts_at=self.starts_at, hours=self.cancellation_free_hours, booked_at=self.created_at
        )

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES

    @property
    def buffer(self) -> timedelta:
        return self.blocked_until - self.ends_at


class BookingStatusHistory(models.Model):
    """One change of a booking's status (or time); written in the same transaction as it."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=16, choices=BookingStatus, blank=True)
    to_status = models.CharField(max_length=16, choices=BookingStatus)
    # Null when the system made the change (the expiry job).
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(default=timezone.now)
    notes = models.TextField(max_length=2 * NOTES_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name_plural = "booking status history"

    def __str__(self):
        return f"{self.booking}: {self.from_status or '–'} → {self.to_status}"


def booking_field_length(name: str) -> int:
    """The most characters a booking's text field `name` holds: the limit the service's
    checks and the API's schema both apply."""
    return Booking._meta.get_field(name).max_length


def free_cancellation_deadline(*, starts_at, hours: int, booked_at) -> datetime | None:
    """`hours` before `starts_at`, or None if that moment had passed when it was booked."""
    deadline = starts_at - timedelta(hours=hours)
    if booked_at is not None and deadline <= booked_at:
        return None
    return deadline
