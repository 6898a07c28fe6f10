"""A provider's local wall-clock time as the instant it means, across daylight saving.

Everything is stored and computed in absolute time (UTC); a local date and time is only
what a person types or reads. Two nights a year that mapping is not one-to-one: on the
spring-forward night some local times never happen (a gap), on the fall-back night some
happen twice (the first with the summer offset, the second with the winter one). These
functions say which instants a local time means, and what happens on a day's clock change,
so the pages, the API and the service layer all resolve them the same way.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from .errors import BookingError


def instants(day: date, at: time, zone: tzinfo) -> list[datetime]:
    """The instants (aware, in `zone`) at which the local clock reads `day` `at`: none in a
    spring-forward gap, two in the fall-back overlap (earlier first), else one."""
    found = []
    for fold in (0, 1):
        candidate = datetime.combine(day, at, tzinfo=zone).replace(fold=fold)
        real = candidate.astimezone(UTC).astimezone(zone)
        # A time in the gap comes back as another wall-clock time: it does not exist.
        exists = real.replace(tzinfo=None) == candidate.replace(tzinfo=None, fold=0)
        # Compared in UTC: within one zone Python compares wall-clock times, fold aside.
        if exists and all(real.astimezone(UTC) != seen.astimezone(UTC) for seen in found):
            found.append(real)
    return sorted(found, key=lambda moment: moment.astimezone(UTC))


def offset_text(moment: datetime) -> str:
    """`UTC-05:00` (with a real minus sign): the offset of an aware time, as a person reads it."""
    minutes = int(moment.utcoffset().total_seconds() // 60)
    sign = "−" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def offset_param(moment: datetime) -> str:
    """ "-0500": the offset as the site's slot links carry it (what parse_offset reads)."""
    return moment.strftime("%z")


def parse_offset(value) -> timedelta | None:
    """The offset of a slot link (`-0500`, `+05:30`), or None when absent or malformed."""
    text = (value or "").strip().replace(":", "")
    if len(text) != 5 or text[0] not in "+-" or not text[1:].isdigit():
        return None
    hours, minutes = int(text[1:3]), int(text[3:])
    if hours > 23 or minutes > 59:
        return None
    sign = -1 if text[0] == "-" else 1
    return sign * timedelta(hours=hours, minutes=minutes)


def _said(day: date, at: time) -> str:
    return f"{at:%H:%M} on {day:%a} {day.day} {day:%b %Y}"


def local_start(day: date, at: time, zone: tzinfo, *, utc_offset: timedelta | None = None):
    """The instant (aware, in `zone`) a person means by `day` `at` on `zone`'s clock.

    A time that never happens (the spring-forward gap) is a BookingError naming
    `starts_at`. A time that happens twice is the earlier one unless `utc_offset` picks
    the other; an offset that matches neither is refused too.
    """
    if at.tzinfo is not None:
        raise ValueError("`at` is a wall-clock time, without an offset.")
    found = instants(day, at, zone)
    if not found:
        change = clock_change(day, zone)
        jump = f" from {change.before:%H:%M} to {change.after:%H:%M}" if change else ""
        raise BookingError(
            f"{_said(day, at)} doesn't exist in {zone}: the clocks go forward{jump} that "
            "night. Please choose one of the free times.",
            field="starts_at",
        )
    if utc_offset is None:
        return found[0]
    for moment in found:
        if moment.utcoffset() == utc_offset:
            return moment
    choices = " or ".join(f"{offset_text(moment)} ({moment:%Z})" for moment in found)
    raise BookingError(
        f"{_said(day, at)} in {zone} is at {choices}, not at the offset given.",
        field="starts_at",
    )


@dataclass(frozen=True)
class ClockChange:
    """The clocks of a zone change on a local day: at `before` they read `after` instead."""

    at: datetime  # the instant of the change (UTC)
    before: time  # the wall-clock time the change happens at (e.g. 02:00)
    after: time  # what the clocks read right after (03:00 forward, 01:00 back)
    offset_before: timedelta
    offset_after: timedelta

    @property
    def forward(self) -> bool:
        return self.offset_after > self.offset_before


def clock_change(day: date, zone: tzinfo) -> ClockChange | None:
    """The change of UTC offset during local `day` in `zone`, or None (at most one a day)."""
    start = datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC)
    if start.astimezone(zone).utcoffset() == end.astimezone(zone).utcoffset():
        return None
    # The first minute with the new offset, by halving the day (offsets change on minutes).
    low, high = start, end
    while high - low > timedelta(minutes=1):
        middle = low + (high - low) / 2
        middle = middle.replace(second=0, microsecond=0)
        if middle.astimezone(zone).utcoffset() == start.astimezone(zone).utcoffset():
            low = middle
        else:
            high = middle
    old, new = low.astimezone(zone), high.astimezone(zone)
    return ClockChange(
        at=high,
        before=(high.astimezone(zone) - (new.utcoffset() - old.utcoffset())).time(),
        after=new.time().replace(fold=0),
        offset_before=old.utcoffset(),
        offset_after=new.utcoffset(),
    )


def window(day: date, start: time, end: time, zone: tzinfo) -> tuple[datetime, datetime]:
    """The real interval (UTC) of working hours `start` to `end` on local `day`: a bound in the
    spring-forward gap is the moment the clocks jump; an opening time that happens twice
    is its first pass, a closing time its second (the longer of the two readings)."""

    def bound(at: time, *, first: bool) -> datetime:
        found = instants(day, at, zone)
        if found:
            return (found[0] if first else found[-1]).astimezone(UTC)
        return clock_change(day, zone).at

    return bound(start, first=True), bound(end, first=False)
