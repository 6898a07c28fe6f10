"""A customer hears of their own actions too: the request they sent (with its details, the
cancellation rule and an .ics), their cancellation, their move; each email once."""

import pytest

from booking import services
from notifications.models import Notification, NotificationKind
from notifications.services import deliver_email, sweep_owed_emails

from .factories import bookable_service, booking_input, local
from .helpers import TUESDAY_10, S

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(now):
    return bookable_service(cancellation_free_hours=24)


@pytest.fixture
def requested(service, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.create_booking(**booking_input(service, TUESDAY_10))
    return booking


def _mails_to(mailoutbox, user):
    return [m for m in mailoutbox if m.to == [user.email]]


def test_the_customer_gets_a_receipt_of_their_request_with_details_rule_and_calendar_file(
    requested, mailoutbox
):
    (mail,) = _mails_to(mailoutbox, requested.customer)

    assert mail.subject == (
        f"[Marketplace] Your request {requested.booking_reference} is sent: "
        f"{requested.service.title} on Tue 03 Mar 2026, 10:00"
    )
    assert "When: Tue 03 Mar 2026, 10:00–11:00 (America/Chicago)" in mail.body
    assert "Where: 12 Elm Street, Apt 3" in mail.body
    assert "Your notes: The gate code is 1234." in mail.body
    assert "free cancellation ends Mon 02 Mar 2026, 10:00 (24 hours before the start)" in mail.body
    ((name, calendar, content_type),) = mail.attachments
    assert (name, content_type) == (f"{requested.booking_reference}.ics", "text/calendar")
    assert "BEGIN:VEVENT" in calendar and "DTSTART:20260303T160000Z" in calendar
    # ...and in the app, linking to the booking.
    receipt = Notification.objects.get(
        recipient=requested.customer, kind=NotificationKind.BOOKING_REQUEST_SENT
    )
    assert receipt.url == f"/bookings/{requested.booking_reference}/"


def test_the_provider_still_gets_the_request_and_nobody_gets_it_twice(requested, mailoutbox):
    provider = requested.provider.user

    assert len(_mails_to(mailoutbox, provider)) == 1
    assert len(_mails_to(mailoutbox, requested.customer)) == 1
    # A retried delivery and a sweep send nothing more.
    for notification in Notification.objects.all():
        assert deliver_email(notification_id=notification.pk).status == "already handled"
    assert sweep_owed_emails() == 0
    assert len(mailoutbox) == 2


def test_a_customer_cancelling_gets_their_confirmation_once_and_the_provider_is_told(
    requested, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.transition_booking(
            booking=requested, to_status=S.CANCELLED, by=requested.customer, notes="Fixed it."
        )

    (own,) = _mails_to(mailoutbox, requested.customer)
    (other,) = _mails_to(mailoutbox, requested.provider.user)
    assert own.subject.startswith(
        f"[Marketplace] You cancelled booking {requested.booking_reference}"
    )
    assert other.subject.endswith("was cancelled")
    assert "Reason: Fixed it." in own.body
    assert (
        Notification.objects.filter(
            recipient=requested.customer, kind=NotificationKind.BOOKING_CANCELLED
        ).count()
        == 1
    )


def test_a_customer_moving_gets_their_confirmation_once_and_the_provider_is_told(
    requested, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule_booking(
            booking=requested, starts_at=local(2026, 3, 4, 14), by=requested.customer
        )

    (own,) = _mails_to(mailoutbox, requested.customer)
    (other,) = _mails_to(mailoutbox, requested.provider.user)
    assert own.subject == (
        f"[Marketplace] You moved booking {requested.booking_reference} to Wed 04 Mar 2026, 14:00"
    )
    assert other.subject == (
        f"[Marketplace] Booking {requested.booking_reference} moved to Wed 04 Mar 2026, 14:00"
    )
    assert "Moved from Tue 3 Mar 2026, 10:00 CST to Wed 4 Mar 2026, 14:00 CST." in own.body


def test_a_provider_acting_gets_no_receipt_only_the_customer_is_told(
    requested, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.transition_booking(
            booking=requested, to_status=S.CONFIRMED, by=requested.provider.user
        )

    assert [m.to for m in mailoutbox] == [[requested.customer.email]]
