"""Writes on notifications: record one per event and recipient, email it once, mark it read.

The emails go through a transactional outbox. The row that says an email is owed is
written in the caller's transaction (`notify`); after commit a task is enqueued, best
effort; `deliver_email` claims the row with a lease, sends outside any transaction and
records the result; `sweep_owed_emails` (every minute and at the consumer's start) enqueues
again what is still owed once its enqueue or send should have settled it. Each email
reaches the mail server at least once, and exactly once unless a process dies between the
server's acceptance and the row's update; the app records it once per event and recipient.
"""

import logging
import mimetypes
import smtplib
import sqlite3
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

import redis
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import OperationalError, connections, router, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from core import live

from . import conf
from .models import OPTIONAL_EMAIL_PREFERENCE, EmailStatus, Notification

logger = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 5
FIRST_RETRY_SECONDS = 30
# What a refused enqueue raises: Redis (production) or SqliteHuey's file (the embedded
# default) is unreachable, full or locked. The row is still owed, so the sweeper sends it.
ENQUEUE_ERRORS = (redis.RedisError, sqlite3.Error, OSError)


@dataclass(frozen=True)
class Message:
    """One notification to record: who gets it, for which event, and what it says."""

    recipient: object
    kind: str
    event_key: str
    title: str
    body: str = ""
    url: str = ""
    # (file name, text) sent with the email, e.g. ("BK-7Q4K-9MZD.ics", "BEGIN:VCALENDAR...")
    attachment: tuple[str, str] | None = None


def notify(*, recipient, kind, event_key, title, body="", url="", attachment=None) -> Notification:
    """Record an in-app notification and email it after the current transaction commits.

    Calling it twice for the same event and recipient changes nothing, so callers may
    retry freely; a rolled-back transaction leaves neither the row nor an email. A queue
    that refuses the email after commit is logged, never raised: the row is owed, and the
    sweeper sends it.
    """
    message = Message(recipient, kind, event_key, title, body, url, attachment)
    (notification,) = notify_all([message])
    if notification is not None:
        return notification
    return Notification.objects.get(recipient=recipient, event_key=event_key)


def notify_all(messages: list[Message]) -> list[Notification | None]:
    """`notify` for several messages in one INSERT: each new row, or None for a message
    whose recipient already has one for its event (nothing changes for it)."""
    if not messages:
        return []
    now = timezone.now()
    notifications = [
        Notification(
            recipient=message.recipient,
            event_key=message.event_key,
            kind=message.kind,
            title=message.title,
            body=message.body,
            url=message.url,
            attachment_name=message.attachment[0] if message.attachment else "",
            attachment=message.attachment[1] if message.attachment else "",
            email_next_attempt_at=_sweep_time(now),
        )
        for message in messages
    ]
    _insert_once(notifications)
    for notification in notifications:
        if notification.pk is not None:
            transaction.on_commit(partial(enqueue_email, notification.pk))
    # Open pages of the recipients hear of it at once (the live stream, #22; after commit).
    live.publish(
        user_ids=[n.recipient_id for n in notifications if n.pk is not None], kind="notification"
    )
    return [notification if notification.pk is not None else None for notification in notifications]


def _insert_once(notifications: list[Notification]) -> list[Notification]:
    """Insert the rows whose recipient has none for their event yet; returns those inserted.

    One statement (INSERT ... ON CONFLICT DO NOTHING, PostgreSQL and SQLite alike) where
    get_or_create takes four (a read, a savepoint, the insert, its release) per row on
    every booking change.
    """
    connection = connections[router.db_for_write(Notification)]
    fields = [field for field in Notification._meta.concrete_fields if not field.primary_key]
    values = [
        field.get_db_prep_save(field.pre_save(notification, add=True), connection)
        for notification in notifications
        for field in fields
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    conflict = ", ".join(
        quote(Notification._meta.get_field(name).column) for name in ("recipient", "event_key")
    )
    one_row = f"({', '.join(['%s'] * len(fields))})"
    sql = (
        f"INSERT INTO {quote(Notification._meta.db_table)} ({columns}) "
        f"VALUES {', '.join([one_row] * len(notifications))} "
        f"ON CONFLICT ({conflict}) DO NOTHING RETURNING "
        f"{quote(Notification._meta.pk.column)}, "
        f"{quote(Notification._meta.get_field('recipient').column)}, "
        f"{quote(Notification._meta.get_field('event_key').column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        rows = cursor.fetchall()
    by_key = {(recipient_id, event_key): pk for pk, recipient_id, event_key in rows}
    inserted = []
    for notification in notifications:
        pk = by_key.pop((notification.recipient_id, notification.event_key), None)
        if pk is None:
            continue
        notification.pk = pk
        notification._state.adding = False
        notification._state.db = connection.alias
        inserted.append(notification)
    return inserted


def enqueue_email(notification_id: int) -> bool:
    """Ask the queue to send one owed email now; a refusal is logged and left to the sweeper."""
    from .tasks import send_notification_email  # tasks import this module

    try:
        send_notification_email(notification_id)
    except ENQUEUE_ERRORS as exc:
        logger.warning(
            "notification %s: enqueue failed, the sweeper will send it: %s: %s",
            notification_id,
            type(exc).__name__,
            exc,
        )
        return False
    return True


def _sweep_time(now):
    return now + timedelta(seconds=conf.EMAIL_SWEEP_AFTER_SECONDS)


@dataclass
class Delivery:
    status: str
    retry_in: int | None = None


def _wants_email(notification: Notification) -> bool:
    preference = OPTIONAL_EMAIL_PREFERENCE.get(notification.kind)
    if preference is None:
        return True
    profile = getattr(notification.recipient, "profile", None)
    return profile is None or getattr(profile, preference)


def _message(notification: Notification) -> EmailMultiAlternatives:
    context = {
        "notification": notification,
        "recipient": notification.recipient,
        "link": f"{settings.SITE_URL}{notification.url}" if notification.url else settings.SITE_URL,
        "SITE_URL": settings.SITE_URL,
    }
    message = EmailMultiAlternatives(
        # One line whatever the title holds: a header with a line break cannot be sent.
        subject=" ".join(f"[Marketplace] {notification.title}".split()),
        body=render_to_string("emails/notification.txt", context),
        to=[notification.recipient.email],
        # A bounded send, so that it ends well inside its lease.
        connection=get_connection(
            timeout=getattr(settings, "EMAIL_TIMEOUT", None) or conf.EMAIL_SEND_TIMEOUT_SECONDS
        ),
    )
    message.attach_alternative(render_to_string("emails/notification.html", context), "text/html")
    if notification.attachment_name:
        content_type = mimetypes.guess_type(notification.attachment_name)[0] or "text/plain"
        message.attach(notification.attachment_name, notification.attachment, content_type)
    return message


def _unleased(now):
    return Q(email_lease_until__isnull=True) | Q(email_lease_until__lt=now)


def _claim(notification_id: int, now) -> Notification | None:
    """Take the email for one delivery: PENDING and nobody's lease running. One UPDATE, so
    two deliveries at once (a retry, the sweeper, a second consumer) cannot both win."""
    lease_until = now + timedelta(seconds=conf.EMAIL_LEASE_SECONDS)
    claimed = (
        Notification.objects.filter(pk=notification_id, email_status=EmailStatus.PENDING)
        .filter(_unleased(now))
        .update(
            email_lease_until=lease_until,
            email_next_attempt_at=lease_until,
            email_attempts=F("email_attempts") + 1,
        )
    )
    if not claimed:
        return None
    return (
        Notification.objects.select_related("recipient__profile").filter(pk=notification_id).first()
    )


def _settle(notification: Notification, *, sent=False, **fields) -> None:
    """Record a delivery's outcome, which ends its lease. A delivery that outlived its lease
    leaves a later one's alone, unless it sent the email: that is worth recording anyway."""
    owned = Notification.objects.filter(pk=notification.pk, email_status=EmailStatus.PENDING)
    if not sent:
        owned = owned.filter(email_lease_until=notification.email_lease_until)
    owned.update(email_lease_until=None, **fields)


def deliver_email(*, notification_id: int) -> Delivery:
    """Send the notification's email unless it was already handled or is being sent; say
    whether to retry.

    The claim (a lease, in its own short write) makes a repeated or concurrent delivery a
    no-op; the send happens outside any transaction, so a process killed while sending
    leaves the attempt counted and the lease to expire, and the email is tried again.
    """
    now = timezone.now()
    owed = (
        Notification.objects.select_related("recipient__profile")
        .filter(pk=notification_id, email_status=EmailStatus.PENDING)
        .first()
    )
    if owed is None:
        return Delivery(status="already handled")
    if not _wants_email(owed):
        skipped = (
            Notification.objects.filter(pk=owed.pk, email_status=EmailStatus.PENDING)
            .filter(_unleased(now))
            .update(email_status=EmailStatus.SKIPPED)
        )
        return Delivery(status=EmailStatus.SKIPPED if skipped else "already handled")
    notification = _claim(notification_id, now)
    if notification is None:
        return Delivery(status="already handled")
    if notification.email_attempts > MAX_EMAIL_ATTEMPTS:
        # Every attempt was claimed and none settled (the process died each time, or a bug
        # raised before the outcome was recorded): stop, and say so to the operator.
        _settle(
            notification,
            email_status=EmailStatus.FAILED,
            email_error=notification.email_error
            or f"no attempt of {MAX_EMAIL_ATTEMPTS} finished (the sender stopped mid-send)",
        )
        logger.error("notification %s: email failed for good: no attempt finished", notification.pk)
        return Delivery(status=EmailStatus.FAILED)
    try:
        _message(notification).send()
    except (smtplib.SMTPException, OSError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if notification.email_attempts >= MAX_EMAIL_ATTEMPTS:
            logger.error("notification %s: email failed for good: %s", notification.pk, exc)
            _settle(notification, email_status=EmailStatus.FAILED, email_error=error)
            return Delivery(status=EmailStatus.FAILED)
        retry_in = FIRST_RETRY_SECONDS * 2 ** (notification.email_attempts - 1)
        # The task's own retry comes at retry_in; the sweeper only if that one is lost.
        retry_at = timezone.now() + timedelta(seconds=retry_in)
        _settle(notification, email_error=error, email_next_attempt_at=_sweep_time(retry_at))
        return Delivery(status=EmailStatus.PENDING, retry_in=retry_in)
    _settle(
        notification,
        sent=True,
        email_status=EmailStatus.SENT,
        emailed_at=timezone.now(),
        email_error="",
    )
    return Delivery(status=EmailStatus.SENT)


def owed_email_ids(*, now=None, limit: int) -> list[int]:
    """Take up to `limit` owed emails whose send should have settled by now and push their
    next look a sweep interval away, so that two sweepers never take the same ones."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(email_status=EmailStatus.PENDING, email_next_attempt_at__lte=now)
            .filter(_unleased(now))
            .order_by("email_next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        Notification.objects.filter(pk__in=due).update(email_next_attempt_at=_sweep_time(now))
    return due


def sweep_owed_emails() -> int:
    """Enqueue again every email still owed after its enqueue or send should have settled
    it (a refused enqueue, a consumer killed mid-send once its lease expired, a lost
    retry); returns how many. A delivery's claim makes a doubled task harmless."""
    enqueued = 0
    for _ in range(conf.EMAIL_SWEEP_MAX_BATCHES):
        due = owed_email_ids(limit=conf.EMAIL_SWEEP_BATCH_SIZE)
        for notification_id in due:
            if not enqueue_email(notification_id):
                return enqueued  # the queue is down: these are due again next sweep
            enqueued += 1
        if len(due) < conf.EMAIL_SWEEP_BATCH_SIZE:
            break
    if enqueued:
        logger.info("sweeper: %s owed email(s) enqueued again", enqueued)
    return enqueued


def is_locked_database(exc: OperationalError) -> bool:
    """SQLite's "database is locked": another writer held the file past the busy timeout.
    Worth retrying, unlike most operational errors."""
    return "database is locked" in str(exc)


def mark_read(*, user, notification_id: int) -> int:
    """Mark one of the user's own notifications read; another user's stays untouched."""
    return Notification.objects.filter(
        pk=notification_id, recipient=user, read_at__isnull=True
    ).update(read_at=timezone.now())


def mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
