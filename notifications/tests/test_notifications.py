import smtplib

import pytest
from django.urls import reverse

from accounts.tests.factories import CustomerFactory
from notifications import services
from notifications.models import EmailStatus, Notification, NotificationKind

pytestmark = pytest.mark.django_db


def send(recipient, *, kind=NotificationKind.BOOKING_CONFIRMED, event_key="booking:1:CONFIRMED"):
    return services.notify(
        recipient=recipient,
        kind=kind,
        event_key=event_key,
        title="Your booking BK-AAAA-BBBB is confirmed",
        body="See you on Friday.",
        url="/bookings/BK-AAAA-BBBB/",
    )


def test_a_notification_is_emailed_once_with_a_link_back(
    django_capture_on_commit_callbacks, mailoutbox
):
    customer = CustomerFactory(email="ann@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        send(customer)

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["ann@example.com"]
    assert mail.subject == "[Marketplace] Your booking BK-AAAA-BBBB is confirmed"
    assert "http://127.0.0.1:8000/bookings/BK-AAAA-BBBB/" in mail.body
    html, mimetype = mail.alternatives[0]
    assert mimetype == "text/html" and 'href="http://127.0.0.1:8000/bookings/BK-AAAA-BBBB/"' in html
    assert Notification.objects.get().email_status == EmailStatus.SENT


def test_the_same_event_twice_notifies_once(django_capture_on_commit_callbacks, mailoutbox):
    customer = CustomerFactory()

    with django_capture_on_commit_callbacks(execute=True):
        send(customer)
        send(customer)

    assert Notification.objects.count() == 1
    assert len(mailoutbox) == 1


def test_a_retried_delivery_sends_no_duplicate(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        notification = send(CustomerFactory())

    services.deliver_email(notification_id=notification.pk)

    assert len(mailoutbox) == 1


def test_nothing_is_sent_when_the_transaction_rolls_back(
    django_capture_on_commit_callbacks, mailoutbox
):
    customer = CustomerFactory()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        from django.db import transaction

        with pytest.raises(RuntimeError), transaction.atomic():
            send(customer)
            raise RuntimeError("the booking change failed")

    assert callbacks == []
    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_failed_sends_back_off_then_fail_visibly(monkeypatch, django_capture_on_commit_callbacks):
    def broken_send(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("mail server went away")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken_send)
    with django_capture_on_commit_callbacks(execute=False):
        notification = send(CustomerFactory())

    delays = [services.deliver_email(notification_id=notification.pk).retry_in for _ in range(5)]

    assert delays == [30, 60, 120, 240, None]
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.FAILED
    assert "mail server went away" in notification.email_error


def test_reminders_respect_the_users_choice(django_capture_on_commit_callbacks, mailoutbox):
    customer = CustomerFactory()
    customer.profile.email_reminders = False
    customer.profile.save()

    with django_capture_on_commit_callbacks(execute=True):
        send(customer, kind=NotificationKind.BOOKING_REMINDER, event_key="booking:1:reminder")
        send(customer, kind=NotificationKind.BOOKING_CANCELLED, event_key="booking:1:CANCELLED")

    assert [m.subject for m in mailoutbox] == [
        "[Marketplace] Your booking BK-AAAA-BBBB is confirmed"
    ]
    assert Notification.objects.filter(email_status=EmailStatus.SKIPPED).count() == 1
    assert Notification.objects.count() == 2  # still shown in the app


def test_notifications_page_lists_only_my_notifications(client):
    me, other = CustomerFactory(), CustomerFactory()
    send(me, event_key="mine")
    services.notify(
        recipient=other, kind=NotificationKind.BOOKING_CONFIRMED, event_key="theirs", title="Secret"
    )
    client.force_login(me)

    response = client.get(reverse("notifications:list"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Your booking BK-AAAA-BBBB is confirmed" in body
    assert "Secret" not in body


def test_nav_shows_the_unread_count_and_the_badge_refreshes(client):
    me = CustomerFactory()
    send(me, event_key="one")
    send(me, event_key="two")
    client.force_login(me)

    page = client.get(reverse("catalog:home")).content.decode()
    badge = client.get(reverse("notifications:unread_badge")).content.decode()

    assert '<span class="badge-count">2<span class="visually-hidden"> unread</span>' in page
    assert "notifications-changed from:body" in badge and ">2<" in badge


def test_marking_read_updates_the_count_and_tells_the_nav(client):
    me = CustomerFactory()
    notification = send(me)
    client.force_login(me)

    response = client.post(
        reverse("notifications:mark_read", args=[notification.pk]), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 204
    assert response["HX-Trigger"] == "notifications-changed"
    assert "badge-count" not in client.get(reverse("notifications:unread_badge")).content.decode()


def test_nobody_can_mark_someone_elses_notification(client):
    theirs = send(CustomerFactory())
    client.force_login(CustomerFactory())

    response = client.post(reverse("notifications:mark_read", args=[theirs.pk]))

    # Not found, as one that never existed (not the login page, not "Marked as read."):
    # the request reached the rule that leaves another user's notification alone.
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(client):
    me = CustomerFactory()
    send(me, event_key="a")
    send(me, event_key="b")
    client.force_login(me)

    response = client.post(reverse("notifications:mark_all_read"))

    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:list")
    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()


def test_a_title_with_a_line_break_is_still_emailed_on_one_subject_line(
    django_capture_on_commit_callbacks, mailoutbox
):
    # Regression: Django refuses a multi-line Subject, so the email was never sent.
    with django_capture_on_commit_callbacks(execute=True):
        notification = services.notify(
            recipient=CustomerFactory(),
            kind=NotificationKind.BOOKING_CONFIRMED,
            event_key="booking:2:CONFIRMED",
            title="Leak\r\nrepair is confirmed",
        )

    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT
    assert mailoutbox[0].subject == "[Marketplace] Leak repair is confirmed"
