"""How the API writes a local time of day and a free slot (no imports from the app, so the
errors can use it too)."""

from datetime import datetime, time

TIME_FORMAT = "%H:%M"


def local_time(moment: datetime | time) -> str:
    """ "09:30": how the API writes a local time of day."""
    return moment.strftime(TIME_FORMAT)


def slot_fields(starts_at: datetime) -> dict:
    """A free start (aware, in the provider's time zone) as the API writes a slot."""
    return {
        "starts_at": starts_at,
        "scheduled_date": starts_at.date(),
        "scheduled_time": local_time(starts_at),
    }
