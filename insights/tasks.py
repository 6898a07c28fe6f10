"""Background jobs of insights: thin wrappers over services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="*/5"))
def flush_service_views() -> int:
    """Every 5 minutes: the Redis view counters of today and yesterday into the rollups."""
    return services.flush_view_counts()


@db_periodic_task(crontab(minute="*/10"))
def roll_up_recent_days() -> int:
    """Every 10 minutes: recount the days of every provider whose bookings or reviews
    changed in the last two hours (what a missed run left owed is recounted by the next)."""
    return services.roll_up_recent()
