"""The outbox's rules, in one process: a lease keeps a send to one delivery, an expired lease
is taken again, the sweeper sends what is owed once it is due, and a refused or locked queue
loses nothing."""

import smtplib
from datetime import timedelta

import pytest
import redis
from django.db import OperationalError
from django.utils import timezone
from huey.exceptions import RetryTask

from accounts.tests.factories import CustomerFactory
from notifications import services, tasks
from notifications.models import EmailStatus, Notification, NotificationKind

pytestmark = pytest.mark.django_db


def owed(**fields):
    """An email owed (its enqueue after commit never ran)."""
    notification = services.notify(
        recipient=CustomerFactory(),
        kind=NotificationKind.BOOKING_CONFIRMED,
        event_key="booking:7:CONFIRMED",
        title="Booking BK-AAAA-BBBB is confirmed",
    )
    Notification.objects.filter(pk=notification.pk).update(**fields)
    notification.refresh_from_db()
    return notification


def test_an_email_being_sent_is_not_sent_again_by_a_second_delivery(mailoutbox):
    now = timezone.now()
    notification = owed(email_attempts=1, email_lease_until=now + timedelta(minutes=5))

    delivery = services.deliver_email(notification_id=notification.pk)

    assert delivery.status == "already handled"
    assert mailoutbox == []
    notification.refresh_from_db()
    assert notification.email_attempts == 1


def test_an_email_whose_sender_died_is_sent_once_its_lease_expires(mailoutbox):
    expired = timezone.now() - timedelta(seconds=1)
    notification = owed(email_attempts=1, email_lease_until=expired)

    services.deliver_email(notification_id=notification.pk)
    services.deliver_email(notification_id=notification.pk)

    assert len(mailoutbox) == 1
    notification.refresh_from_db()
    assert (notification.email_status, notification.email_attempts) == (EmailStatus.SENT, 2)
    assert notification.email_lease_until is None


def test_a_send_that_outlived_its_lease_leaves_the_next_delivery_alone(monkeypatch):
    notification = owed()
    later_lease = timezone.now() + timedelta(minutes=10)

    def slow_then_failed(message):
        # Meanwhile the lease ran out and another delivery claimed the email.
        Notification.objects.filter(pk=notification.pk).update(email_lease_until=later_lease)
        raise smtplib.SMTPServerDisconnected("mail server went away")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", slow_then_failed)

    services.deliver_email(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.email_lease_until == later_lease
    assert notification.email_error == ""


def test_an_email_whose_every_attempt_died_mid_send_fails_visibly(mailoutbox):
    expired = timezone.now() - timedelta(seconds=1)
    notification = owed(email_attempts=services.MAX_EMAIL_ATTEMPTS, email_lease_until=expired)

    delivery = services.deliver_email(notification_id=notification.pk)

    assert delivery.status == EmailStatus.FAILED
    assert mailoutbox == []
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.FAILED
    assert "no attempt of 5 finished" in notification.email_error


def test_the_sweeper_sends_an_owed_email_once_it_is_overdue_and_only_then(mailoutbox, time_machine):
    notification = owed()

    assert tasks.sweep_owed_emails.call_local() == 0  # its own task may still come
    time_machine.move_to(timezone.now() + timedelta(seconds=61))
    assert tasks.sweep_owed_emails.call_local() == 1
    assert tasks.sweep_owed_emails.call_local() == 0

    assert len(mailoutbox) == 1
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT


def test_the_sweeper_leaves_a_send_in_progress_alone(mailoutbox, time_machine):
    now = timezone.now()
    owed(email_next_attempt_at=now, email_lease_until=now + timedelta(minutes=5))

    assert tasks.sweep_owed_emails.call_local() == 0
    assert mailoutbox == []


def test_a_refused_enqueue_is_logged_and_not_raised(monkeypatch, caplog):
    def refuse(notification_id):
        raise redis.ConnectionError("Connection refused")

    monkeypatch.setattr(tasks, "send_notification_email", refuse)

    assert services.enqueue_email(1) is False
    assert "notification 1: enqueue failed, the sweeper will send it" in caplog.text


def test_a_locked_database_is_retried_shortly(monkeypatch):
    def locked(*, notification_id):
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "deliver_email", locked)

    with pytest.raises(RetryTask) as retry:
        tasks.send_notification_email.call_local(1)
    assert retry.value.delay == tasks.LOCKED_DATABASE_RETRY_SECONDS


def test_another_database_error_is_not_retried(monkeypatch):
    def broken(*, notification_id):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(services, "deliver_email", broken)

    with pytest.raises(OperationalError):
        tasks.send_notification_email.call_local(1)


def test_an_operator_sees_a_failed_email_with_its_attempts_and_last_error(admin_client):
    owed(
        email_status=EmailStatus.FAILED,
        email_attempts=5,
        email_error="SMTPServerDisconnected: mail server went away",
    )

    response = admin_client.get("/admin/notifications/notification/?email_status__exact=FAILED")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Booking BK-AAAA-BBBB is confirmed" in body
    assert '<td class="field-email_attempts">5</td>' in body
    assert "SMTPServerDisconnected: mail server went away" in body
