"""Writes on booking: schedules, creating, moving and changing the status of bookings.

Every function takes keyword arguments, runs in one transaction and raises a BookingError
whose message can be shown to the user as is. The lifecycle rules live in TRANSITIONS and
`_check_transition`, used both to change a booking and, through `available_actions` (worded
by ACTION_WORDS), to offer what a user may do now.

Concurrency: every write that gives a booking a time (create, reschedule) first locks the
provider's ProviderSchedule row, so bookings for one provider are decided one at a time and
the re-check of the slot sees every committed booking. The exclusion constraint on Booking
is the final guard; its violation becomes the same SlotTaken error. Both writes share that
skeleton, `_claim_slot`.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import partial
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import City, ServiceProviderProfile
from catalog.models import MAX_DURATION_MINUTES, PricingType, Service

from . import conf, free_days, next_free, selectors
from . import notifications as booking_notifications
from .errors import BookingError, NotAllowed, NotNow, NotYours, SlotTaken
from .models import (
    ACTIVE_STATUSES,
    DURATION_STEP_MINUTES,
    MIN_PENDING_EXPIRY_HOURS,
    NOTES_MAX_LENGTH,
    Booking,
    BookingStatus,
    BookingStatusHistory,
    ProviderSchedule,
    TimeOff,
    Weekday,
    WeeklyAvailability,
    booking_field_length,
)

logger = logging.getLogger(__name__)

# Re-exported: callers catch the errors where they call the writes.
__all__ = ["BookingError", "NotAllowed", "NotNow", "NotYours", "SlotTaken"]

OVERLAP_CONSTRAINT = "booking_no_overlap_per_provider"


# Who is acting on a booking.
SYSTEM, CUSTOMER, PROVIDER, ADMIN = "system", "customer", "provider", "admin"

S = BookingStatus
# Every status change there is, and who may make it. Marketplace admins may make every
# change a person can; only the system (the expiry job) expires requests. A provider
# declines (REJECTED) a request rather than cancelling it; once confirmed, either side may
# cancel: the customer until the free-cancellation deadline, the provider with a reason.
TRANSITIONS = {
    (S.PENDING, S.CONFIRMED): {PROVIDER, ADMIN},
    (S.PENDING, S.REJECTED): {PROVIDER, ADMIN},
    (S.PENDING, S.CANCELLED): {CUSTOMER, ADMIN},
    (S.PENDING, S.EXPIRED): {SYSTEM},
    (S.CONFIRMED, S.IN_PROGRESS): {PROVIDER, ADMIN},
    (S.CONFIRMED, S.CANCELLED): {CUSTOMER, PROVIDER, ADMIN},
    (S.IN_PROGRESS, S.COMPLETED): {PROVIDER, ADMIN},
}
FINAL_STATUSES = {S.REJECTED, S.CANCELLED, S.EXPIRED, S.COMPLETED}
RESCHEDULABLE_STATUSES = {S.PENDING, S.CONFIRMED}


@dataclass(frozen=True)
class ActionWords:
    """How refusals and pages name a change to one status."""

    verb: str  # "Only the provider can <verb> this booking."
    label: str  # the button on the booking's page
    row_label: str = ""  # the one-click button in a list of requests; "" keeps it off lists
    reason_label: str = ""  # the box asking the person why; "" asks nothing
    danger: bool = False


# How each change is named: in refusals, and on the buttons `available_actions` offers.
ACTION_WORDS = {
    S.CONFIRMED: ActionWords("confirm", "Accept request", row_label="Accept"),
    S.REJECTED: ActionWords(
        "decline",
        "Decline request",
        row_label="Decline",
        reason_label="Reason for declining",
        danger=True,
    ),
    S.CANCELLED: ActionWords(
        "cancel", "Cancel booking", reason_label="Reason for cancelling", danger=True
    ),
    S.EXPIRED: ActionWords("expire", "Expire request"),
    S.IN_PROGRESS: ActionWords("start", "Start job"),
    S.COMPLETED: ActionWords("complete", "Mark as completed"),
}

_WHO = {SYSTEM: "the system", CUSTOMER: "the customer", PROVIDER: "the provider"}


# Who is asking ---------------------------------------------------------------------------------


def _actor(booking: Booking, user) -> str | None:
    if user is None:
        return SYSTEM
    if user.is_marketplace_staff:
        return ADMIN
    if user.pk == booking.customer_id:
        return CUSTOMER
    if user.is_provider and user.pk == booking.provider.user_id:
        return PROVIDER
    return None


def _free_cancellation_ended(booking: Booking, now: datetime) -> bool:
    deadline = booking.free_cancellation_until
    return deadline is None or now >= deadline


def _no_free_cancellation(booking: Booking, *, moved: bool = False) -> str:
    """Why a confirmed job can no longer be cancelled (or moved) by the customer here."""
    hours = booking.cancellation_free_hours
    deadline = booking.free_cancellation_until
    if deadline is None:
        change = "moved" if moved else "cancelled"
        return (
            f"This booking was made less than {hours} hours before the start, so it can't be "
            f"{change} for free. Please contact the provider."
        )
    deadline = selectors.format_local(deadline, booking.zone)
    if moved:
        return (
            f"Confirmed jobs can be moved until {hours} hours before the start; that was "
            f"{deadline}. Please contact the provider."
        )
    return f"Free cancellation ended {deadline}, {hours} hours before the start. " + (
        "Please contact the provider."
    )


def _reason_asked(booking: Booking, to_status: str, actor: str | None, now) -> str | None:
    """What to ask the person when this change needs their words (a reason), else None."""
    # The customer counted on a confirmed job: a provider calling it off must say why.
    if actor == PROVIDER and booking.status == S.CONFIRMED and to_status == S.CANCELLED:
        return "Please tell the customer why you are cancelling a confirmed job."
    # An admin may set the record straight (a job really done early), saying why; the
    # reason is kept in the booking's history.
    too_early = _work_too_early(booking, to_status, now)
    if actor == ADMIN and too_early:
        return f"{too_early} To do it now anyway, say why in the note."
    return None


def _check_transition(booking, to_status, actor, *, notes: str | None, now: datetime) -> None:
    """Raise NotAllowed unless `actor` may move `booking` to `to_status` now.

    `notes=None` skips the check that needs the user's words (a provider's reason), so the
    same rules can say which buttons to show before anything is typed.
    """
    label = S(booking.status).label.lower()
    if actor is None:
        raise NotYours("You can't change this booking.")
    if booking.status in FINAL_STATUSES:
        raise NotNow(f"This booking is {label}; it can no longer change.")
    if booking.status == to_status:
        raise NotNow(f"This booking is already {label}.")
    allowed = TRANSITIONS.get((booking.status, to_status))
    if allowed is None:
        raise NotNow(f"A {label} booking can't be marked {to_status.label.lower()}.")
    if actor not in allowed:
        who = " or ".join(_WHO[a] for a in sorted(allowed - {ADMIN}))
        raise NotYours(f"Only {who} can {ACTION_WORDS[to_status].verb} this booking.")

    if to_status == S.CONFIRMED and booking.starts_at <= now:
        raise NotNow("The requested time has passed; this request can no longer be confirmed.")
    too_early = _work_too_early(booking, to_status, now)
    if too_early and actor != ADMIN:
        raise NotNow(too_early)
    if (
        to_status == S.CANCELLED
        and booking.status == S.CONFIRMED
        and actor == CUSTOMER
        and _free_cancellation_ended(booking, now)
    ):
        raise NotNow(_no_free_cancellation(booking))
    asked = _reason_asked(booking, to_status, actor, now)
    if notes is not None and not notes and asked:
        raise BookingError(asked, field="notes")


def _work_too_early(booking: Booking, to_status: str, now: datetime) -> str | None:
    """Why the job cannot be started or completed yet, or None: work is started at most
    START_LEAD_MINUTES before its start and completed only after its start, so a completed
    job (and the review it allows) is one that happened."""
    if to_status == S.IN_PROGRESS:
        opens = booking.starts_at - timedelta(minutes=conf.START_LEAD_MINUTES)
        if now < opens:
            return f"This job can be started from {selectors.format_local(opens, booking.zone)}."
    if to_status == S.COMPLETED and now < booking.starts_at:
        starts = selectors.format_local(booking.starts_at, booking.zone)
        return f"This job starts {starts}; it can be completed after that."
    return None


def _check_reschedule(booking: Booking, actor: str | None, *, now: datetime) -> None:
    label = S(booking.status).label.lower()
    if actor in (None, SYSTEM):
        raise NotYours("You can't change this booking.")
    if booking.status not in RESCHEDULABLE_STATUSES:
        raise NotNow(f"A {label} booking can't be moved.")
    if actor == CUSTOMER:
        if booking.starts_at <= now:
            raise NotNow("This booking's time has passed; it can no longer be moved.")
        if booking.status == S.CONFIRMED and _free_cancellation_ended(booking, now):
            raise NotNow(_no_free_cancellation(booking, moved=True))


@dataclass(frozen=True)
class Action:
    """A status change a person may make to a booking now, worded as the pages offer it."""

    status: BookingStatus
    needs_reason: bool  # the reason box must be filled in, not only offered

    @property
    def words(self) -> ActionWords:
        return ACTION_WORDS[self.status]

    @property
    def label(self) -> str:
        return self.words.label

    @property
    def row_label(self) -> str:
        return self.words.row_label

    @property
    def reason_label(self) -> str:
        # A change that asks no reason of others may need one here (an admin's override).
        return self.words.reason_label or ("Reason" if self.needs_reason else "")

    @property
    def danger(self) -> bool:
        return self.words.danger


def available_actions(booking: Booking, user, *, now: datetime | None = None) -> list[Action]:
    """What `user` may do to `booking` now, in TRANSITIONS' order: the buttons a page shows,
    decided by the same checks as the change itself."""
    now = (now or timezone.now()).astimezone(UTC)
    actor = _actor(booking, user)
    actions = []
    for from_status, to_status in TRANSITIONS:
        if from_status != booking.status:
            continue
        try:
            _check_transition(booking, to_status, actor, notes=None, now=now)
        except BookingError:
            continue
        actions.append(Action(to_status, bool(_reason_asked(booking, to_status, actor, now))))
    return actions


def quick_actions(booking: Booking, user, *, now: datetime | None = None) -> list[Action]:
    """The actions a list of requests offers as one-click buttons (nothing to type)."""
    return [
        action
        for action in available_actions(booking, user, now=now)
        if action.row_label and not action.needs_reason
    ]


def allowed_transitions(booking: Booking, user, *, now: datetime | None = None) -> list[str]:
    """The statuses `user` may move `booking` to now (the API's allowed actions)."""
    return [action.status for action in available_actions(booking, user, now=now)]


def can_reschedule(booking: Booking, user, *, now: datetime | None = None) -> bool:
    """Whether `user` may move `booking` to another time now."""
    try:
        _check_reschedule(booking, _actor(booking, user), now=now or timezone.now())
    except NotAllowed:
        return False
    return True


def _move_awaits_answer(booking: Booking, actor: str | None) -> bool:
    # A confirmed job the customer moves is a new request: the provider accepts the time or not.
    return actor == CUSTOMER and booking.status == S.CONFIRMED


def move_awaits_answer(booking: Booking, user) -> bool:
    """Whether moving `booking` as `user` sends it back to PENDING for the provider's answer."""
    return _move_awaits_answer(booking, _actor(booking, user))


# The one hook for "a booking changed" ----------------------------------------------------------


def _announce_change(*, booking_id, reference, from_status, to_status, by_id):
    logger.info(
        "booking %s: %s -> %s",
        reference,
        from_status or "new",
        to_status,
        extra={"booking_id": booking_id, "changed_by": by_id},
    )


def _booking_changed(
    booking: Booking,
    *,
    change_id: int,
    from_status: str,
    to_status: str,
    by,
    notes: str,
    rescheduled: bool,
) -> None:
    """Every booking change passes here once, inside its transaction.

    The people concerned are notified in the same transaction (their emails leave on
    commit), so a change that is rolled back tells nobody anything.
    """
    booking_notifications.booking_changed(
        booking,
        change_id=change_id,
        from_status=from_status,
        to_status=to_status,
        by=by,
        notes=notes,
        rescheduled=rescheduled,
    )
    if from_status in ACTIVE_STATUSES and to_status not in ACTIVE_STATUSES:
        _offer_changed(booking.provider_id)  # its time is free again
    transaction.on_commit(
        partial(
            _announce_change,
            booking_id=booking.pk,
            reference=booking.booking_reference,
            from_status=from_status,
            to_status=to_status,
            by_id=getattr(by, "pk", None),
        )
    )


def _record(
    booking, *, from_status, to_status, by, notes="", at: datetime, rescheduled=False
) -> BookingStatusHistory:
    entry = BookingStatusHistory.objects.create(
        booking=booking,
        from_status=from_status,
        to_status=to_status,
        changed_by=by,
        changed_at=at,
        notes=notes,
    )
    _booking_changed(
        booking,
        change_id=entry.pk,
        from_status=from_status,
        to_status=to_status,
        by=by,
        notes=notes,
        rescheduled=rescheduled,
    )
    return entry


# Schedules -----------------------------------------------------------------------------------


def ensure_schedule(*, provider: ServiceProviderProfile) -> ProviderSchedule:
    """The provider's schedule, created with the defaults if they have none yet."""
    schedule = selectors.schedule_for(provider)
    if schedule.pk is None:
        schedule, _ = ProviderSchedule.objects.get_or_create(
            provider=provider, defaults={"time_zone": schedule.time_zone}
        )
    return schedule


def _offer_changed(provider_id: int) -> None:
    """What a provider can offer changed: search's free days are owed (in this transaction)
    and the cards' next free time is dropped after commit. Writes that lock the schedule get
    both from _lock_schedule."""
    free_days.owe(provider_id)
    next_free.invalidate(provider_id)


def _lock_schedule(provider_id: int) -> ProviderSchedule:
    """Lock the provider's schedule row: bookings for one provider are decided one at a time.

    Every write that takes this lock changes what the provider can offer, so it also owes
    search their free days (rolled back with it if it fails)."""
    schedule = free_days.lock_schedule_owing(provider_id)
    if schedule is None:
        ensure_schedule(provider=ServiceProviderProfile.objects.get(pk=provider_id))
        schedule = free_days.lock_schedule_owing(provider_id)
    next_free.invalidate(provider_id)  # #18: cards' next free time, after commit
    return schedule


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


def weekly_hours_problems(intervals) -> list[tuple[int, str]]:
    """What is wrong with weekly hours given as (weekday, start_time, end_time): a list of
    (position in `intervals`, message), empty when they may be saved. A reversed interval is
    named at its own position, an overlap at the later of the two intervals."""
    problems = []
    valid = []
    for position, (weekday, start_time, end_time) in enumerate(intervals):
        if weekday not in Weekday.values:
            problems.append((position, "Pick a day from Monday to Sunday."))
        elif not isinstance(start_time, time) or not isinstance(end_time, time):
            problems.append((position, "Give each interval a start and an end time."))
        elif start_time >= end_time:
            day = Weekday(weekday).label
            problems.append(
                (position, f"{day}: {start_time:%H:%M}–{end_time:%H:%M} must end after it starts.")
            )
        else:
            valid.append((weekday, start_time, position, end_time))
    valid.sort()
    for before, after in pairwise(valid):
        # Touching intervals (12:00-13:00 then 13:00-17:00) are fine; overlapping ones are not.
        if before[0] == after[0] and after[1] < before[3]:
            problems.append(
                (
                    after[2],
                    f"{Weekday(before[0]).label}: {before[1]:%H:%M}–{before[3]:%H:%M} overlaps "
                    f"{after[1]:%H:%M}–{after[3]:%H:%M}.",
                )
            )
    return sorted(problems)


@transaction.atomic
def set_weekly_availability(
    *, provider: ServiceProviderProfile, intervals
) -> list[WeeklyAvailability]:
    """Replace the provider's weekly hours with `intervals`, an iterable of
    (weekday 0=Monday, start_time, end_time) in local time; several per day, none overlapping.
    Existing bookings are kept even if they now fall outside the hours."""
    intervals = list(intervals)
    problems = weekly_hours_problems(intervals)
    if problems:
        raise BookingError(problems[0][1], field="intervals")
    rows = [
        WeeklyAvailability(
            provider=provider, weekday=weekday, start_time=start_time, end_time=end_time
        )
        for weekday, start_time, end_time in intervals
    ]
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
        raise NotYours("That time off belongs to another provider.")
    time_off.delete()
    _offer_changed(provider.pk)


# Creating and moving bookings --------------------------------------------------------------------


def _clean_text(
    value, *, field: str, label: str, required: bool, max_length: int | None = None
) -> str:
    """`value` stripped, or a BookingError naming `field`; at most `max_length` characters,
    by default what the Booking column `field` holds."""
    if max_length is None:
        max_length = booking_field_length(field)
    value = (value or "").strip()
    if required and not value:
        raise BookingError(f"Please enter the {label}.", field=field)
    if len(value) > max_length:
        raise BookingError(
            f"The {label} can be at most {max_length} characters ({len(value)} given).",
            field=field,
        )
    return value


def _clean_duration(service: Service, minutes) -> int:
    if minutes is None:
        return service.duration_minutes
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise BookingError(
            "Give the duration in whole minutes.", field="estimated_duration_minutes"
        )
    if service.pricing_type == PricingType.FIXED:
        if minutes != service.duration_minutes:
            raise BookingError(
                f"This fixed-price service takes {service.duration_minutes} minutes.",
                field="estimated_duration_minutes",
            )
        return minutes
    if minutes % DURATION_STEP_MINUTES:
        raise BookingError(
            f"Give the duration in steps of {DURATION_STEP_MINUTES} minutes.",
            field="estimated_duration_minutes",
        )
    if not service.duration_minutes <= minutes <= MAX_DURATION_MINUTES:
        raise BookingError(
            f"The duration must be between {service.duration_minutes} minutes and "
            f"{MAX_DURATION_MINUTES // 60} hours.",
            field="estimated_duration_minutes",
        )
    return minutes


def _slot_taken(finder: selectors.SlotFinder, starts_at: datetime) -> SlotTaken:
    next_slots = selectors.next_free_slots(
        service=finder.service,
        after=starts_at,
        duration_minutes=int(finder.duration.total_seconds() // 60),
        rescheduling=finder.rescheduling,
    )
    message = "This time was just taken."
    if next_slots:
        zone = next_slots[0].tzinfo
        choices = "; ".join(selectors.format_local(slot, zone) for slot in next_slots)
        message += f" The next free times are: {choices}."
    else:
        message += " There are no other free times in the coming weeks."
    return SlotTaken(message, next_slots=next_slots)


def _violated_constraint(error: IntegrityError) -> str | None:
    # psycopg reports which constraint failed; Django keeps the driver's error as the cause.
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None)


def _day_finder(schedule: ProviderSchedule, service: Service, starts_at: datetime, now, **kw):
    """A SlotFinder for the provider's local day of `starts_at`, on the locked `schedule`."""
    day = starts_at.astimezone(schedule.zone).date()
    return selectors.SlotFinder(
        service=service, first_day=day, last_day=day, now=now, schedule=schedule, **kw
    )


class _NotClaimed(Exception):
    """The slot could not be claimed; raised to roll the claim's transaction back."""


def _claim_slot(provider_id: int, starts_at: datetime, *, check, write) -> Booking:
    """Give a booking the time `starts_at`, with the provider's bookings decided one at a time.

    In one transaction: lock the provider's schedule; `check(schedule)` locks and checks
    whatever else it needs and returns the SlotFinder that re-checks `starts_at`; if the
    slot is free, `write(finder)` saves and returns the booking. Otherwise nothing is
    written and this raises SlotTaken (with the next free times) when other bookings hold
    the time, whether the re-check or the exclusion constraint saw them, or BookingError
    saying why `starts_at` is not bookable.
    """
    try:
        with transaction.atomic():
            finder = check(_lock_schedule(provider_id))
            problem = finder.problem_with(starts_at)
            if problem is None:
                return write(finder)
            # Rolled back, so nothing `check` wrote (an idempotency key's claim) outlives
            # the refusal.
            raise _NotClaimed
    except _NotClaimed:
        pass
    except IntegrityError as error:
        if _violated_constraint(error) != OVERLAP_CONSTRAINT:
            raise
        raise _slot_taken(finder, starts_at) from error
    # Explained once the lock is released: looking ahead for the next free times takes a
    # while, and the next request for this provider need not wait for it.
    if problem.taken:
        raise _slot_taken(finder, starts_at)
    raise BookingError(problem.message, field="starts_at")


def _place(booking: Booking, starts_at: datetime, duration, schedule: ProviderSchedule) -> None:
    """Give `booking` its time on the locked `schedule`'s terms (buffer, time zone)."""
    # In UTC: adding to a zoned time adds wall-clock time, which is an hour off on the
    # nights the clocks change.
    starts_at = starts_at.astimezone(UTC)
    booking.starts_at = starts_at
    booking.ends_at = starts_at + duration
    booking.blocked_until = booking.ends_at + timedelta(minutes=schedule.buffer_minutes)
    booking.time_zone = schedule.time_zone


# Creating ------------------------------------------------------------------------------------


def _new_reference() -> str:
    # 30**8 references: a clash is about one in 6.6e11 per existing booking, so nothing is
    # read to avoid one; the unique constraint refuses it and create_booking tries again.
    return Booking._meta.get_field("booking_reference").default()


def _reference_taken(error: IntegrityError) -> bool:
    return "booking_reference" in (_violated_constraint(error) or "")


@dataclass(frozen=True)
class QuotedPrice:
    """The price snapshot of an accepted quote (quotes app), booked instead of the service's
    own price: `base_price` is the fixed price (FIXED) or the rate per hour (HOURLY)."""

    reference: str
    pricing_type: str
    base_price: Decimal
    currency: str
    estimated_total: Decimal
    duration_minutes: int


QUOTE_ONLY_MESSAGE = "This service is priced on quote: request a quote, then book by accepting it."


def _check_may_book(customer, service: Service, quoted: QuotedPrice | None = None) -> None:
    if not customer.is_customer:
        raise NotYours("Only customer accounts can book services.")
    if not service.is_active:
        raise BookingError("This service is no longer offered.", field="service")
    if not service.provider.is_verified:
        raise BookingError("This provider isn't taking bookings yet.", field="service")
    if service.is_quote_only and quoted is None:
        raise BookingError(QUOTE_ONLY_MESSAGE, field="service")


def _clean_quoted_duration(quoted: QuotedPrice) -> int:
    minutes = quoted.duration_minutes
    if minutes % DURATION_STEP_MINUTES or not 15 <= minutes <= MAX_DURATION_MINUTES:
        raise BookingError(
            f"A quoted job lasts 15 minutes to {MAX_DURATION_MINUTES // 60} hours, in steps "
            f"of {DURATION_STEP_MINUTES} minutes.",
            field="estimated_duration_minutes",
        )
    return minutes


def _clean_request(
    provider, *, address: str, city: City, state: str, postal_code: str, notes: str
) -> dict:
    """What the customer typed, as Booking fields; the job must be in a city `provider` serves."""
    fields = {
        "service_address": _clean_text(
            address,
            field="service_address",
            label="address",
            required=True,
        ),
        "service_postal_code": _clean_text(
            postal_code,
            field="service_postal_code",
            label="postal code",
            required=True,
        ),
        "service_state": _clean_text(
            state,
            field="service_state",
            label="state",
            required=False,
        )
        or city.state,
        "customer_notes": _clean_text(
            notes,
            field="customer_notes",
            label="notes",
            max_length=NOTES_MAX_LENGTH,
            required=False,
        ),
        "service_city": city,
    }
    # all(): the caller's prefetched cities when it read them (the API does), else one query.
    if city.pk not in {served.pk for served in provider.cities.all()}:
        served = ", ".join(str(served) for served in provider.cities.all()) or "no cities yet"
        raise BookingError(
            f"{provider.display_name} doesn't work in {city}. They serve: {served}.",
            field="service_city",
        )
    return fields


def _insert_request(
    finder: selectors.SlotFinder,
    starts_at,
    *,
    customer,
    duration_minutes: int,
    now,
    quoted: QuotedPrice | None = None,
    **typed,
) -> Booking:
    """Save a PENDING request at `starts_at` with the service's price snapshot (or the
    accepted quote's), on the terms of the finder's locked schedule, with its first history
    row."""
    service, schedule = finder.service, finder.schedule
    if quoted is None:
        price = {
            "base_price": service.base_price,
            "pricing_type": service.pricing_type,
            "currency": service.currency,
            "estimated_total": selectors.estimate_total(
                service=service, duration_minutes=duration_minutes
            ),
        }
    else:
        price = {
            "base_price": quoted.base_price,
            "pricing_type": quoted.pricing_type,
            "currency": quoted.currency,
            "estimated_total": quoted.estimated_total,
            "quote_reference": quoted.reference,
        }
    booking = Booking(
        booking_reference=_new_reference(),
        customer=customer,
        provider=service.provider,
        service=service,
        status=S.PENDING,
        status_changed_at=now,
        created_at=now,
        estimated_duration_minutes=duration_minutes,
        cancellation_free_hours=schedule.cancellation_free_hours,
        # What the customer agrees to pay, whatever the service costs later.
        **price,
        **typed,
    )
    _place(booking, starts_at, finder.duration, schedule)
    booking.save(force_insert=True)
    entry = _record(booking, from_status="", to_status=S.PENDING, by=customer, at=now)
    # The new booking's whole history, so an answer built from it needs no second read.
    booking.history_so_far = [entry]
    return booking


def create_booking(
    *,
    customer,
    service: Service,
    starts_at: datetime,
    service_address: str,
    service_city: City,
    service_state: str,
    service_postal_code: str,
    customer_notes: str = "",
    estimated_duration_minutes: int | None = None,
    now: datetime | None = None,
    idempotency=None,
    quoted_price: QuotedPrice | None = None,
) -> Booking:
    """Request `service` at `starts_at` (one of its free slots) as a PENDING booking with a
    price snapshot, or raise: SlotTaken (with the next free slots) if someone was faster,
    NotAllowed if `customer` is not a customer, BookingError for anything else.

    `quoted_price` books at an accepted quote's price and duration (the only way to book a
    price-on-quote service); the caller holds the quote's lock, so a quote books once.

    `idempotency` (core.api.idempotency.IdempotentRequest, from the API) claims its key once
    the provider's schedule is locked and stores its answer before the booking commits, so
    a request sent twice books once; its `claim` raises Replayed for a key already used.
    `now` is for demo data and tests; pages and the API leave it out.
    """
    _check_may_book(customer, service, quoted_price)
    if timezone.is_naive(starts_at):
        raise ValueError("starts_at must be an aware datetime.")
    if quoted_price is None:
        duration = _clean_duration(service, estimated_duration_minutes)
    else:
        duration = _clean_quoted_duration(quoted_price)
    typed = _clean_request(
        service.provider,
        address=service_address,
        city=service_city,
        state=service_state,
        postal_code=service_postal_code,
        notes=customer_notes,
    )
    now = (now or timezone.now()).astimezone(UTC)

    def check(schedule):
        if idempotency is not None:
            idempotency.claim()
        return _day_finder(schedule, service, starts_at, now, duration_minutes=duration)

    def write(finder):
        booking = _insert_request(
            finder,
            starts_at,
            customer=customer,
            duration_minutes=duration,
            now=now,
            quoted=quoted_price,
            **typed,
        )
        if idempotency is not None:
            idempotency.complete(booking)
        return booking

    def claim():
        return _claim_slot(service.provider_id, starts_at, check=check, write=write)

    # A reference already taken (one in 6.6e11) is refused by its unique constraint: the
    # whole claim runs again with a new one, at most twice more.
    for _ in range(2):
        try:
            return claim()
        except IntegrityError as error:
            if not _reference_taken(error):
                raise
    return claim()


# Changing ------------------------------------------------------------------------------------


def _refresh(stale: Booking, fresh: Booking) -> None:
    """Let the caller's instance show what was saved, so it is not used stale."""
    for field in fresh._meta.concrete_fields:
        setattr(stale, field.attname, getattr(fresh, field.attname))


def _lock_booking(booking: Booking, *related: str) -> Booking:
    """The booking's row, locked for this transaction, read afresh with `related`."""
    return (
        Booking.objects.select_for_update(of=("self",)).select_related(*related).get(pk=booking.pk)
    )


def transition_booking(
    *, booking: Booking, to_status: str, by, notes: str = "", now: datetime | None = None
) -> Booking:
    """Move `booking` to `to_status` if `by` (None: the system) may do so now, writing the
    history row (and, on completion, the completed-jobs counters) in the same transaction.
    Raises NotAllowed with the reason and changes nothing otherwise."""
    try:
        to_status = S(to_status)
    except ValueError:
        raise NotNow(f"“{to_status}” is not a booking status.", field="status") from None
    notes = _clean_text(
        notes, field="notes", label="note", max_length=NOTES_MAX_LENGTH, required=False
    )
    now = (now or timezone.now()).astimezone(UTC)
    with transaction.atomic():
        locked = _lock_booking(booking, "provider")
        _check_transition(locked, to_status, _actor(locked, by), notes=notes, now=now)
        from_status = locked.status
        locked.status = to_status
        locked.status_changed_at = now
        fields = ["status", "status_changed_at", "updated_at"]
        if to_status == S.CANCELLED:
            locked.cancelled_by = by
            locked.cancellation_reason = notes
            fields += ["cancelled_by", "cancellation_reason"]
        locked.save(update_fields=fields)
        _record(locked, from_status=from_status, to_status=to_status, by=by, notes=notes, at=now)
        if to_status == S.COMPLETED:
            Service.objects.filter(pk=locked.service_id).update(
                completed_bookings_count=F("completed_bookings_count") + 1
            )
            ServiceProviderProfile.objects.filter(pk=locked.provider_id).update(
                completed_bookings_count=F("completed_bookings_count") + 1
            )
    _refresh(booking, locked)
    return locked


def reschedule_booking(
    *, booking: Booking, starts_at: datetime, by, notes: str = "", now: datetime | None = None
) -> Booking:
    """Move a PENDING or CONFIRMED booking to another free slot (its own time does not block
    it), with a history row saying from when to when. When the customer moves a confirmed
    job it goes back to PENDING: the provider accepts the new time or not."""
    if timezone.is_naive(starts_at):
        raise ValueError("starts_at must be an aware datetime.")
    notes = _clean_text(
        notes, field="notes", label="note", max_length=NOTES_MAX_LENGTH, required=False
    )
    now = (now or timezone.now()).astimezone(UTC)

    def check(schedule):
        locked = _lock_booking(booking, "provider", "service")
        _check_reschedule(locked, _actor(locked, by), now=now)
        if starts_at == locked.starts_at:
            raise BookingError("The booking is already at that time.", field="starts_at")
        return _day_finder(schedule, locked.service, starts_at, now, rescheduling=locked)

    moved = _claim_slot(
        booking.provider_id,
        starts_at,
        check=check,
        write=lambda finder: _move(finder, starts_at, by=by, notes=notes, now=now),
    )
    _refresh(booking, moved)
    return moved


def _move(finder: selectors.SlotFinder, starts_at: datetime, *, by, notes, now) -> Booking:
    """Save the finder's booking (locked) at `starts_at`, with a history row saying from
    when to when."""
    booking, schedule = finder.rescheduling, finder.schedule
    moved_from = selectors.format_local(booking.starts_at, schedule.zone)
    from_status = booking.status
    if _move_awaits_answer(booking, _actor(booking, by)):
        booking.status = S.PENDING
        booking.status_changed_at = now
    _place(booking, starts_at, finder.duration, schedule)
    booking.save()
    moved_to = selectors.format_local(starts_at, schedule.zone)
    summary = f"Moved from {moved_from} to {moved_to}."
    _record(
        booking,
        from_status=from_status,
        to_status=booking.status,
        by=by,
        notes=f"{summary} {notes}".strip(),
        at=now,
        rescheduled=True,
    )
    return booking


def expire_stale_requests(*, now: datetime | None = None) -> int:
    """Expire PENDING requests unanswered for the provider's pending_expiry_hours, or whose
    start has passed; returns how many. Each expiry is its own transaction."""
    now = (now or timezone.now()).astimezone(UTC)
    # The shortest wait any schedule allows narrows the scan; each provider's own limit is
    # applied below.
    shortest_wait = now - timedelta(hours=MIN_PENDING_EXPIRY_HOURS)
    candidates = (
        Booking.objects.filter(status=S.PENDING)
        .filter(Q(status_changed_at__lte=shortest_wait) | Q(starts_at__lte=now))
        .select_related("provider__schedule")
        .order_by("status_changed_at", "pk")
    )
    expired = 0
    for booking in candidates:
        hours = _pending_expiry_hours(booking.provider)
        if booking.starts_at <= now:
            note = "No answer from the provider before the requested time."
        elif booking.status_changed_at <= now - timedelta(hours=hours):
            note = f"No answer from the provider within {hours} hours."
        else:
            continue
        try:
            transition_booking(booking=booking, to_status=S.EXPIRED, by=None, notes=note, now=now)
        except NotAllowed:
            continue  # answered (or cancelled) since the scan: nothing to expire
        expired += 1
    return expired


def _pending_expiry_hours(provider: ServiceProviderProfile) -> int:
    try:
        return provider.schedule.pending_expiry_hours
    except ProviderSchedule.DoesNotExist:
        return ProviderSchedule._meta.get_field("pending_expiry_hours").get_default()


REMINDER_AHEAD = timedelta(hours=24)


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Remind customer and provider of each confirmed job starting within REMINDER_AHEAD;
    each booking is reminded once (marked in the same transaction as the notifications)."""
    now = (now or timezone.now()).astimezone(UTC)
    due = Booking.objects.filter(
        status=S.CONFIRMED,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + REMINDER_AHEAD,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in due:
        with transaction.atomic():
            # A second worker running the same job skips rows this one holds.
            booking = (
                Booking.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("service", "customer", "provider__user")
                .filter(pk=pk, reminder_sent_at__isnull=True, status=S.CONFIRMED)
                .first()
            )
            if booking is None:
                continue
            booking.reminder_sent_at = now
            booking.save(update_fields=["reminder_sent_at", "updated_at"])
            booking_notifications.remind(booking)
            sent += 1
    return sent
