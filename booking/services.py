"""Writes on booking: provider schedules (more with the booking lifecycle).

Every function takes keyword arguments, runs in one transaction and raises a BookingError
whose message can be shown to the user as is.
"""

from datetime import date, time
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import ServiceProviderProfile

from . import selectors
from .models import ProviderSchedule, TimeOff, Weekday, WeeklyAvailability


class BookingError(Exception):
    """A booking rule was broken. `message` is safe to show; `field` names the input at
    fault (a form field or API payload key), or is None when the whole request is."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class SlotTaken(BookingError):
    """Someone else holds that time; `next_slots` are the next free ones to offer instead."""

    def __init__(self, message: str, *, next_slots=(), field: str | None = "starts_at"):
        super().__init__(message, field=field)
        self.next_slots = list(next_slots)


class NotAllowed(BookingError):
    """The user may not do this now; nothing was changed. `forbidden` is True when this
    person may never do it (an API answers 403), False when the booking's state or the
    clock stands in the way (409)."""

    def __init__(self, message: str, *, field: str | None = None, forbidden: bool = False):
        super().__init__(message, field=field)
        self.forbidden = forbidden


# Schedules -----------------------------------------------------------------------------------


def ensure_schedule(*, provider: ServiceProviderProfile) -> ProviderSchedule:
    """The provider's schedule, created with the defaults if they have none yet."""
    schedule = selectors.schedule_for(provider)
    if schedule.pk is None:
        schedule, _ = ProviderSchedule.objects.get_or_create(
            provider=provider, defaults={"time_zone": schedule.time_zone}
        )
    return schedule


def _lock_schedule(provider_id: int) -> ProviderSchedule:
    """Lock the provider's schedule row: bookings for one provider are decided one at a time."""
    try:
        return ProviderSchedule.objects.select_for_update().get(provider_id=provider_id)
    except ProviderSchedule.DoesNotExist:
        provider = ServiceProviderProfile.objects.get(pk=provider_id)
        ensure_schedule(provider=provider)
        return ProviderSchedule.objects.select_for_update().get(provider_id=provider_id)


def _validation_to_booking_error(error: ValidationError) -> BookingError:
    if hasattr(error, "error_dict"):
        field, messages = next(iter(error.message_dict.items()))
        return BookingError(messages[0], field=field)
    return BookingError(error.messages[0])


@transaction.atomic
def update_schedule_settings(
    *,
    provider: ServiceProviderProfile,
    time_zone: str | None = None,
    buffer_minutes: int | None = None,
    min_notice_hours: int | None = None,
    max_advance_days: int | None = None,
    cancellation_free_hours: int | None = None,
    pending_expiry_hours: int | None = None,
) -> ProviderSchedule:
    """Change the given schedule settings (None leaves one as it is); existing bookings keep
    the buffer and cancellation terms they were made with."""
    schedule = _lock_schedule(provider.pk)
    changes = {
        "time_zone": time_zone,
        "buffer_minutes": buffer_minutes,
        "min_notice_hours": min_notice_hours,
        "max_advance_days": max_advance_days,
        "cancellation_free_hours": cancellation_free_hours,
        "pending_expiry_hours": pending_expiry_hours,
    }
    for name, value in changes.items():
        if value is not None:
            setattr(schedule, name, value)
    try:
        schedule.full_clean(exclude=["provider"])
    except ValidationError as error:
        raise _validation_to_booking_error(error) from None
    schedule.save()
    return schedule


@transaction.atomic
def set_weekly_availability(
    *, provider: ServiceProviderProfile, intervals
) -> list[WeeklyAvailability]:
    """Replace the provider's weekly hours with `intervals`, an iterable of
    (weekday 0=Monday, start_time, end_time) in local time; several per day, none overlapping.
    Existing bookings are kept even if they now fall outside the hours."""
    rows = []
    for weekday, start_time, end_time in intervals:
        if weekday not in Weekday.values:
            raise BookingError("Pick a day from Monday to Sunday.", field="intervals")
        if not isinstance(start_time, time) or not isinstance(end_time, time):
            raise BookingError("Give each interval a start and an end time.", field="intervals")
        day = Weekday(weekday).label
        if start_time >= end_time:
            raise BookingError(
                f"{day}: {start_time:%H:%M}–{end_time:%H:%M} must end after it starts.",
                field="intervals",
            )
        rows.append(
            WeeklyAvailability(
                provider=provider, weekday=weekday, start_time=start_time, end_time=end_time
            )
        )
    rows.sort(key=lambda row: (row.weekday, row.start_time))
    for before, after in pairwise(rows):
        # Touching intervals (12:00-13:00 then 13:00-17:00) are fine; overlapping ones are not.
        if before.weekday == after.weekday and after.start_time < before.end_time:
            raise BookingError(
                f"{Weekday(before.weekday).label}: {before.start_time:%H:%M}–"
                f"{before.end_time:%H:%M} overlaps {after.start_time:%H:%M}–"
                f"{after.end_time:%H:%M}.",
                field="intervals",
            )
    _lock_schedule(provider.pk)
    WeeklyAvailability.objects.filter(provider=provider).delete()
    return WeeklyAvailability.objects.bulk_create(rows)


@transaction.atomic
def add_time_off(
    *, provider: ServiceProviderProfile, start_date: date, end_date: date, reason: str = ""
) -> TimeOff:
    """Block whole local days, start and end included. Bookings already on those days are
    kept: the provider decides about each of them."""
    reason = _clean_text(reason, field="reason", label="reason", max_length=200, required=False)
    if end_date < start_date:
        raise BookingError("Time off must end on or after the day it starts.", field="end_date")
    schedule = _lock_schedule(provider.pk)
    today = timezone.now().astimezone(schedule.zone).date()
    if end_date < today:
        raise BookingError("That time off is already over.", field="end_date")
    return TimeOff.objects.create(
        provider=provider, start_date=start_date, end_date=end_date, reason=reason
    )


@transaction.atomic
def remove_time_off(*, provider: ServiceProviderProfile, time_off: TimeOff) -> None:
    """Delete one of the provider's own days off."""
    if time_off.provider_id != provider.pk:
        raise NotAllowed("That time off belongs to another provider.", forbidden=True)
    time_off.delete()


# Text input -----------------------------------------------------------------------------------


def _clean_text(value, *, field: str, label: str, max_length: int, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise BookingError(f"Please enter the {label}.", field=field)
    if len(value) > max_length:
        raise BookingError(
            f"The {label} can be at most {max_length} characters ({len(value)} given).",
            field=field,
        )
    return value
