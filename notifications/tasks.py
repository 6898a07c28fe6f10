"""Background jobs of notifications: thin wrappers over services."""

import logging
import threading

from django.db import OperationalError
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task
from huey.exceptions import RetryTask

from . import conf, services

logger = logging.getLogger(__name__)

LOCKED_DATABASE_RETRY_SECONDS = 2


@db_task()
def send_notification_email(notification_id):
    """Email one notification; failures come back later, further apart each time."""
    try:
        delivery = services.deliver_email(notification_id=notification_id)
    except OperationalError as exc:
        if not services.is_locked_database(exc):
            raise
        # SQLite (the embedded default) had another writer past its busy timeout: nothing
        # was sent or recorded, or the lease will run out; try again shortly.
        logger.warning("notification %s: database is locked, retrying", notification_id)
        raise RetryTask(delay=LOCKED_DATABASE_RETRY_SECONDS) from exc
    if delivery.retry_in is not None:
        raise RetryTask(delay=delivery.retry_in)


@db_periodic_task(crontab(minute="*"))
def sweep_owed_emails() -> int:
    """Every minute: enqueue again the emails still owed whose enqueue or send did not settle."""
    try:
        return services.sweep_owed_emails()
    except OperationalError as exc:
        if not services.is_locked_database(exc):
            raise
        logger.warning("sweeper: database is locked, the next sweep takes over")
        return 0


# Held for good by the first worker to start: one start-up sweep per consumer, not per worker.
_startup_sweep = threading.Lock()


@HUEY.on_startup()
def sweep_owed_emails_at_startup():
    """A consumer that starts (after a crash, say) sweeps at once, and again when every lease
    a killed consumer can have held has run out, instead of waiting for the minute."""
    if not _startup_sweep.acquire(blocking=False):
        return
    try:
        sweep_owed_emails()
        sweep_owed_emails.schedule(delay=conf.EMAIL_LEASE_SECONDS + 1)
    except services.ENQUEUE_ERRORS as exc:
        logger.warning("start-up sweep not enqueued, the minute's sweep takes over: %s", exc)
