"""Core's Huey tasks: the idempotency records' daily clean-up."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from core.api import idempotency


@db_periodic_task(crontab(minute="17", hour="4"))
def purge_expired_idempotency_records() -> int:
    """Delete the Idempotency-Key records past their 24 hours (they answer nothing now)."""
    return idempotency.purge_expired()
