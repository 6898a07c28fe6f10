"""Background jobs of booking: thin wrappers over services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import conf, services


@db_periodic_task(crontab(minute=f"*/{conf.EXPIRY_JOB_EVERY_MINUTES}"))
def expire_stale_booking_requests() -> int:
    """Every 15 minutes: requests the provider left unanswered for too long become EXPIRED."""
    return services.expire_stale_requests()


@db_periodic_task(crontab(minute=f"*/{conf.EXPIRY_JOB_EVERY_MINUTES}"))
def send_booking_reminders() -> int:
    """Every 15 minutes: remind both sides of confirmed jobs starting within a day, once."""
    return services.send_due_reminders()
