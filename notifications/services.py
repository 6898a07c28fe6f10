"""Writes on notifications: record one per event and recipient, email it once, mark it read."""

import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import OPTIONAL_EMAIL_PREFERENCE, EmailStatus, Notification

logger = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 5
FIRST_RETRY_SECONDS = 30


def notify(*, recipient, kind, event_key, title, body="", url="") -> Notification:
    """Record an in-app notification and email it after the current transaction commits.

    Calling it twice for the same event and recipient changes nothing, so callers may
    retry freely; a rolled-back transaction leaves neither the row nor an email.
    """
    notification, created = Notification.objects.get_or_create(
        recipient=recipient,
        event_key=event_key,
        defaults={"kind": kind, "title": title, "body": body, "url": url},
    )
    if created:
        from .tasks import send_notification_email  # tasks import this module

        transaction.on_commit(lambda: send_notification_email(notification.pk))
    return notification


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
    )
    message.attach_alternative(render_to_string("emails/notification.html", context), "text/html")
    return message


@transaction.atomic
def deliver_email(*, notification_id: int) -> Delivery:
    """Send the notification's email unless it was already handled; say whether to retry.

    The row lock and status check make a repeated or concurrent delivery a no-op.
    """
    notification = (
        Notification.objects.select_for_update(of=("self",))
        .select_related("recipient__profile")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None or notification.email_status != EmailStatus.PENDING:
        return Delivery(status="already handled")
    if not _wants_email(notification):
        notification.email_status = EmailStatus.SKIPPED
        notification.save(update_fields=["email_status"])
        return Delivery(status=EmailStatus.SKIPPED)
    notification.email_attempts += 1
    try:
        _message(notification).send()
    except (smtplib.SMTPException, OSError) as exc:
        notification.email_error = f"{type(exc).__name__}: {exc}"[:2000]
        if notification.email_attempts >= MAX_EMAIL_ATTEMPTS:
            notification.email_status = EmailStatus.FAILED
            logger.error("notification %s: email failed for good: %s", notification.pk, exc)
            retry_in = None
        else:
            retry_in = FIRST_RETRY_SECONDS * 2 ** (notification.email_attempts - 1)
        notification.save(update_fields=["email_attempts", "email_error", "email_status"])
        return Delivery(status=notification.email_status, retry_in=retry_in)
    notification.email_status = EmailStatus.SENT
    notification.emailed_at = timezone.now()
    notification.email_error = ""
    notification.save(update_fields=["email_attempts", "email_status", "emailed_at", "email_error"])
    return Delivery(status=EmailStatus.SENT)


def mark_read(*, user, notification_id: int) -> int:
    """Mark one of the user's own notifications read; another user's stays untouched."""
    return Notification.objects.filter(
        pk=notification_id, recipient=user, read_at__isnull=True
    ).update(read_at=timezone.now())


def mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
