"""Property test (#15): on the nights the clocks change, in several zones, every slot offered
can be booked, every job lasts its real minutes and no two of a provider's jobs overlap.

The nights are each zone's real clock changes of 2026, found with zoneinfo (not typed in):
America/Chicago and Europe/London (forward in March, back in October/November),
Australia/Sydney (southern hemisphere: back in April, forward in October),
Australia/Lord_Howe (a 30-minute change) and Asia/Tokyo (no daylight saving) as a control,
on the days of Chicago's changes. For each night Hypothesis draws a working window on that
weekday around the change (its ends may fall in the gap or the repeated hour), the job's
duration, the buffer after it and the slot step, and then the order in which customers book.

The expectations are computed here from the wall clock itself, minute by minute, rather
than with booking/local_time.py: a window opens at the first instant the clock reads its
start and closes at the last instant it reads its end (or at the jump, when the clocks
skip it); slots step in real time from the opening while the job ends by the close.

Each example runs in a transaction that is rolled back, so examples never see each other's
rows; `derandomize` makes the examples the same on every run, so CI cannot flake.
"""

from datetime import UTC, date, datetime, time, timedelta
from itertools import combinations, pairwise
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.tests.factories import CustomerFactory
from booking import selectors, services
from booking.models import ACTIVE_STATUSES, DURATION_STEP_MINUTES, Booking
from booking.services import SlotTaken

from .factories import bookable_service, booking_input

pytestmark = pytest.mark.django_db

YEAR = 2026
MINUTE = timedelta(minutes=1)
QUARTER = 15  # minutes; every zone here changes its offset by a multiple of it
DST_ZONES = ("America/Chicago", "Europe/London", "Australia/Sydney", "Australia/Lord_Howe")
CONTROL_ZONE = "Asia/Tokyo"


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def clock_change_nights(zone_name: str) -> list[tuple[date, str]]:
    """The local days of YEAR whose midnight and next midnight have different UTC offsets."""
    zone = ZoneInfo(zone_name)
    nights = []
    day = date(YEAR, 1, 1)
    while day.year == YEAR:
        before = datetime.combine(day, time.min, tzinfo=zone).utcoffset()
        after = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone).utcoffset()
        if before != after:
            nights.append((day, "forward" if after > before else "back"))
        day += timedelta(days=1)
    return nights


def day_minutes(day: date, zone: ZoneInfo) -> list[tuple[datetime, datetime]]:
    """Every minute of local `day` as (instant in UTC, what the clock reads then, naive)."""
    start, end = local_midnight(day, zone), local_midnight(day + timedelta(days=1), zone)
    minutes = []
    moment = start
    while moment < end:
        minutes.append((moment, moment.astimezone(zone).replace(tzinfo=None)))
        moment += MINUTE
    return minutes


def change_reading(day: date, zone: ZoneInfo) -> time:
    """The wall-clock time the clocks change at on `day` (02:00 in Chicago), else 02:00."""
    minutes = day_minutes(day, zone)
    for (earlier, before), (moment, _) in pairwise(minutes):
        if moment.astimezone(zone).utcoffset() != earlier.astimezone(zone).utcoffset():
            return (before + MINUTE).time()
    return time(2)


def _nights():
    nights = []
    for name in DST_ZONES:
        found = clock_change_nights(name)
        # One night forward and one back in 2026, or the test would silently cover less.
        assert sorted(kind for _, kind in found) == ["back", "forward"], (name, found)
        nights += [(name, day, kind) for day, kind in found]
    # The control: a zone without daylight saving, on the days Chicago changes its clocks.
    assert clock_change_nights(CONTROL_ZONE) == []
    nights += [(CONTROL_ZONE, day, "none") for day, _ in clock_change_nights("America/Chicago")]
    return nights


NIGHTS = _nights()


def real_window(day: date, start: time, end: time, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The real interval (UTC) of working hours start-end on local `day`, from the wall
    clock: from the first instant it reads `start` or later, to the last instant it reads
    `end` (the second pass of a repeated time), or, if it never reads `end` (the gap), to
    the minute after the last instant it reads earlier than `end`."""
    minutes = day_minutes(day, zone)
    opening = next(moment for moment, reading in minutes if reading.time() >= start)
    at_end = [moment for moment, reading in minutes if reading.time() == end]
    if at_end:
        return opening, at_end[-1]
    return opening, max(moment for moment, reading in minutes if reading.time() < end) + MINUTE


def passes(day: date, at: time, zone: ZoneInfo) -> str:
    """How often the clock reads `at` on `day`: "in the gap", "repeated" or "once"."""
    count = sum(1 for _, reading in day_minutes(day, zone) if reading.time() == at)
    return {0: "in the gap", 1: "once", 2: "repeated"}[count]


def overlaps(a_start, a_end, b_start, b_end) -> bool:
    return a_start < b_end and b_start < a_end


def utc(moments) -> list[datetime]:
    return [moment.astimezone(UTC) for moment in moments]


def check_booking(booking: Booking, starts_at: datetime, *, duration, buffer, zone) -> None:
    """A booking starts at the instant chosen, lasts `duration` real minutes and blocks
    `buffer` more, and reads on the provider's clock as the slot did."""
    booking.refresh_from_db()
    assert booking.status in ACTIVE_STATUSES
    assert booking.starts_at.astimezone(UTC) == starts_at.astimezone(UTC)
    assert booking.ends_at - booking.starts_at == duration
    assert booking.blocked_until - booking.ends_at == buffer
    assert booking.zone == zone
    local = booking.local_starts_at
    slot = starts_at.astimezone(zone)
    assert (local.replace(tzinfo=None), local.utcoffset()) == (
        slot.replace(tzinfo=None),
        slot.utcoffset(),
    )


def assert_no_overlap(provider) -> list[Booking]:
    """No two active bookings of `provider` overlap on [starts_at, blocked_until), in UTC
    (the exclusion constraint is the database's own guard of the same rule)."""
    active = list(
        Booking.objects.filter(provider=provider, status__in=ACTIVE_STATUSES).order_by("starts_at")
    )
    spans = sorted(
        (b.starts_at.astimezone(UTC), b.blocked_until.astimezone(UTC), b.pk) for b in active
    )
    for (start, end, first), (other_start, other_end, second) in combinations(spans, 2):
        assert not overlaps(start, end, other_start, other_end), (first, second)
    return active


class _Rollback(Exception):
    """Raised at the end of an example so its rows are rolled back."""


@pytest.mark.parametrize("zone_name, day, kind", NIGHTS, ids=[f"{z}-{d}-{k}" for z, d, k in NIGHTS])
@hypothesis_settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    start_quarters=st.integers(-12, 3),
    extra_quarters=st.integers(-4, 20),
    duration_minutes=st.integers(2, 16).map(lambda n: n * DURATION_STEP_MINUTES),
    buffer_minutes=st.integers(0, 60),
    step_minutes=st.sampled_from([15, 20, 30, 60]),
    data=st.data(),
)
def test_on_clock_change_nights_every_offered_slot_books_for_its_real_duration_without_overlap(
    settings,
    time_machine,
    zone_name,
    day,
    kind,
    start_quarters,
    extra_quarters,
    duration_minutes,
    buffer_minutes,
    step_minutes,
    data,
):
    zone = ZoneInfo(zone_name)
    duration, buffer = timedelta(minutes=duration_minutes), timedelta(minutes=buffer_minutes)
    step = timedelta(minutes=step_minutes)
    settings.BOOKING_SLOT_STEP_MINUTES = step_minutes

    # Working hours on the night's weekday, around the time the clocks change: an end may
    # fall in the gap, a start or an end in the repeated hour. Mostly long enough for a job
    # or more, sometimes a little too short.
    length = max(1, duration_minutes // QUARTER + extra_quarters)
    change = datetime.combine(day, change_reading(day, zone))
    first = max(
        change + timedelta(minutes=QUARTER * start_quarters), datetime.combine(day, time.min)
    )
    last = min(first + timedelta(minutes=QUARTER * length), datetime.combine(day, time(23, 45)))
    opens, closes = first.time(), last.time()
    opening, closing = real_window(day, opens, closes, zone)
    event(f"opens {passes(day, opens, zone)}")
    event(f"closes {passes(day, closes, zone)}")

    # Two days before, so no notice or horizon stands in the way.
    time_machine.move_to(local_midnight(day, zone) - timedelta(days=2), tick=False)

    try:
        with transaction.atomic():
            service = bookable_service(
                hours=[(day.weekday(), opens, closes)],
                time_zone=zone_name,
                buffer_minutes=buffer_minutes,
                duration_minutes=duration_minutes,
            )
            customer = CustomerFactory()

            def book(starts_at):
                return services.create_booking(
                    **booking_input(service, starts_at, customer=customer)
                )

            offered = selectors.free_slots(service=service, date=day)

            # The slots are the real-time steps from the opening whose job ends by the close.
            expected, start = [], opening
            while start + duration <= closing:
                expected.append(start)
                start += step
            assert utc(offered) == expected
            event(f"slots offered: {min(len(offered), 10)}{'+' if len(offered) >= 10 else ''}")

            for slot in offered:
                # On the provider's clock, on that day, at a time that exists: what the slot
                # reads (date, time, offset) means the slot again.
                assert slot.tzinfo == zone
                assert slot.date() == day
                reading = slot.replace(tzinfo=None)
                assert slot.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == reading
                again = selectors.starts_at_for(
                    service=service,
                    scheduled_date=slot.date(),
                    scheduled_time=slot.time(),
                    utc_offset=slot.utcoffset(),
                )
                assert again.astimezone(UTC) == slot.astimezone(UTC)
                assert slot.astimezone(UTC) >= opening
                assert slot.astimezone(UTC) + duration <= closing

            # Every slot offered can be booked, first (each on its own, rolled back).
            for slot in offered:
                with transaction.atomic():
                    booking = book(slot)
                    check_booking(booking, slot, duration=duration, buffer=buffer, zone=zone)
                    transaction.set_rollback(True)

            # Customers then book in a random order, the list re-read before each attempt: a
            # slot is offered exactly when no booking made so far blocks it, an offered slot
            # is booked, one no longer offered is refused as taken.
            made = []
            for slot in data.draw(st.permutations(offered), label="booking order"):
                now_offered = utc(selectors.free_slots(service=service, date=day))
                start = slot.astimezone(UTC)  # adding to `slot` would add wall-clock time
                blocks = [
                    b
                    for b in made
                    if overlaps(start, start + duration + buffer, b.starts_at, b.blocked_until)
                ]
                assert (start in now_offered) == (not blocks)
                assert now_offered == [
                    s
                    for s in expected
                    if not any(
                        overlaps(s, s + duration + buffer, b.starts_at, b.blocked_until)
                        for b in made
                    )
                ]
                if blocks:
                    event("a slot no longer offered was refused as taken")
                    with pytest.raises(SlotTaken):
                        book(slot)
                else:
                    booking = book(slot)
                    check_booking(booking, slot, duration=duration, buffer=buffer, zone=zone)
                    made.append(booking)
            active = assert_no_overlap(service.provider)
            assert len(active) == len(made)
            assert bool(made) == bool(offered)

            # One of them moves to another time offered for it: still its real duration, and
            # still no overlap.
            if made:
                moving = data.draw(st.sampled_from(made), label="moved booking")
                choices = [
                    slot
                    for slot in selectors.free_slots(service=service, date=day, rescheduling=moving)
                    if slot.astimezone(UTC) != moving.starts_at
                ]
                if choices:
                    target = data.draw(st.sampled_from(choices), label="moved to")
                    event("a booking moved")
                    services.reschedule_booking(booking=moving, starts_at=target, by=customer)
                    check_booking(moving, target, duration=duration, buffer=buffer, zone=zone)
                    assert_no_overlap(service.provider)
            raise _Rollback
    except _Rollback:
        pass
    assert not Booking.objects.filter(provider=service.provider).exists()
