"""Background jobs of booking: thin wrappers over services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import conf, free_days, services


@db_periodic_task(crontab(minute=f"*/{conf.EXPIRY_JOB_EVERY_MINUTES}"))
def expire_stale_booking_requests() -> int:
    """Every 15 minutes: requests the provider left unanswered for too long become EXPIRED."""
    return services.expire_stale_requests()


@db_periodic_task(crontab(minute=f"*/{conf.EXPIRY_JOB_EVERY_MINUTES}"))
def send_booking_reminders() -> int:
    """Every 15 minutes: remind both sides of confirmed jobs starting within a day, once."""
    return services.send_due_reminders()


@db_task()
def refresh_free_days(provider_id: int) -> int:
    """Recompute one provider's free days for search, after a write owed them."""
    return free_days.refresh(provider_id)


@db_periodic_task(crontab(minute="*"))
def sweep_free_days() -> int:
    """Every minute: refresh providers still owed (a lost enqueue) or whose days end short."""
    return free_days.sweep()
