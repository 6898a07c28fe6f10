"""Background jobs of quotes: thin wrappers over services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import conf, services


@db_periodic_task(crontab(minute=f"*/{conf.EXPIRY_JOB_EVERY_MINUTES}"))
def expire_due_quotes() -> int:
    """Every 15 minutes: quotes whose validity date has ended become EXPIRED. The database
    is the record: a missed run leaves them due, and the next run finds them."""
    return services.expire_due_quotes()
