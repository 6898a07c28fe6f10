from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import VerificationStatus
from accounts.tests.factories import AdminFactory, CustomerFactory, ProviderFactory
from booking.models import BookingStatus
from booking.tests.factories import BookingFactory, bookable_service
from notifications.models import Notification

from .. import selectors, services
from ..errors import AlreadyReported, BadMessage, MayNotMessage
from ..models import Message, ReportReason
from .factories import conversation

pytestmark = pytest.mark.django_db


def test_customer_starts_one_conversation_per_provider_whatever_the_service():
    service = bookable_service()
    customer = CustomerFactory()
    first = services.start_conversation(customer=customer, provider=service.provider)
    again = services.start_conversation(customer=customer, provider=service.provider)

    assert first.pk == again.pk


def test_provider_cannot_start_a_conversation_from_a_service_page():
    service = bookable_service()
    with pytest.raises(MayNotMessage):
        services.start_conversation(customer=ProviderFactory(), provider=service.provider)


def test_no_conversation_with_an_unverified_provider():
    provider = ProviderFactory(verification=VerificationStatus.PENDING).provider_profile
    with pytest.raises(MayNotMessage):
        services.start_conversation(customer=CustomerFactory(), provider=provider)


def test_only_the_two_participants_write_in_a_conversation():
    thread = conversation()
    for stranger in (CustomerFactory(), ProviderFactory(), AdminFactory()):
        with pytest.raises(MayNotMessage):
            services.send_message(conversation=thread, sender=stranger, body="Hello")
    assert not Message.objects.exists()


def test_either_side_of_a_booking_opens_its_conversation_and_nobody_else():
    booking = BookingFactory()
    for user in (booking.customer, booking.provider.user):
        thread = services.conversation_for_booking(user=user, booking=booking)
        assert (thread.customer, thread.provider) == (booking.customer, booking.provider)
    with pytest.raises(MayNotMessage):
        services.conversation_for_booking(user=CustomerFactory(), booking=booking)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write a message before sending."),
        ("   \n ", "Write a message before sending."),
        ("x" * 2001, "A message is at most 2000 characters; this one has 2001."),
        ("bell \x07", "The message holds control characters that cannot be shown."),
    ],
)
def test_empty_overlong_or_unprintable_messages_are_refused_by_name(body, message):
    thread = conversation()
    with pytest.raises(BadMessage) as refused:
        services.send_message(conversation=thread, sender=thread.customer, body=body)

    assert refused.value.message == message
    assert refused.value.field == "body"
    assert not Message.objects.exists()


def test_the_limit_is_a_setting(settings):
    settings.MESSAGING_MAX_LENGTH = 10
    thread = conversation()
    with pytest.raises(BadMessage):
        services.send_message(conversation=thread, sender=thread.customer, body="x" * 11)


def test_unread_counts_follow_each_participants_read_state():
    thread = conversation(messages=[("customer", "Hi"), ("customer", "Are you free Monday?")])
    provider = thread.provider.user

    assert selectors.unread_message_count(provider) == 2
    assert selectors.unread_message_count(thread.customer) == 0  # their own messages
    services.mark_read(conversation=thread, user=provider)
    assert selectors.unread_message_count(provider) == 0
    services.send_message(conversation=thread, sender=provider, body="Yes")
    assert selectors.unread_message_count(thread.customer) == 1
    assert selectors.inbox(thread.customer).get().unread == 1


CONTACTS = "Call me on +1 (415) 555-0123 or write to cora@example.com on 2026-12-01"


def _shown(thread):
    thread = selectors.readable_conversation(thread.customer, thread.pk)
    return selectors.shown_body(thread.messages.last(), contacts_shown=thread.contacts_shown)


def test_contacts_are_masked_for_both_sides_until_a_booking_is_confirmed():
    thread = conversation(messages=[("customer", CONTACTS)])
    BookingFactory(customer=thread.customer, service=thread.service, status=BookingStatus.PENDING)

    assert _shown(thread) == "Call me on [phone hidden] or write to [email hidden] on 2026-12-01"
    provider_view = selectors.readable_conversation(thread.provider.user, thread.pk)
    assert not provider_view.contacts_shown


def test_contacts_show_once_the_provider_confirmed_a_booking():
    thread = conversation(messages=[("customer", CONTACTS)])
    BookingFactory(customer=thread.customer, service=thread.service, status=BookingStatus.CONFIRMED)

    assert _shown(thread) == CONTACTS


@pytest.mark.parametrize(("mode", "shown"), [("always", False), ("never", True)])
def test_masking_is_configurable(settings, mode, shown):
    settings.MESSAGING_MASK_CONTACTS = mode
    thread = conversation(messages=[("customer", CONTACTS)])
    BookingFactory(customer=thread.customer, service=thread.service, status=BookingStatus.CONFIRMED)

    assert (_shown(thread) == CONTACTS) is shown


def test_a_participant_reports_the_other_sides_message_once():
    thread = conversation(messages=[("provider", "Pay me in cash outside the app")])
    message = thread.messages.get()

    services.report_message(
        message=message, reporter=thread.customer, reason=ReportReason.OFF_PLATFORM
    )
    with pytest.raises(AlreadyReported):
        services.report_message(message=message, reporter=thread.customer, reason=ReportReason.SPAM)
    with pytest.raises(MayNotMessage):
        services.report_message(
            message=message, reporter=thread.provider.user, reason=ReportReason.SPAM
        )


def test_admins_read_a_conversation_only_once_it_is_reported():
    thread = conversation(messages=[("provider", "Rude words")])
    admin = AdminFactory()
    with pytest.raises(selectors.ConversationNotFound):
        selectors.readable_conversation(admin, thread.pk)

    services.report_message(
        message=thread.messages.get(), reporter=thread.customer, reason=ReportReason.ABUSE
    )

    assert selectors.readable_conversation(admin, thread.pk) == thread


def test_a_hidden_message_is_gone_for_the_participants():
    thread = conversation(messages=[("provider", "Rude words")])
    message = thread.messages.get()
    with pytest.raises(MayNotMessage):
        services.hide_message(message=message, by=thread.customer)

    services.hide_message(message=message, by=AdminFactory(), reason="abuse")

    assert selectors.shown_body(Message.objects.get(), contacts_shown=True) == ""
    assert selectors.unread_message_count(thread.customer) == 0


def _unread_emails(user):
    return list(Notification.objects.filter(recipient=user, kind=services.UNREAD_KIND))


def test_one_email_per_conversation_once_a_message_stays_unread_ten_minutes(time_machine):
    thread = conversation(messages=[("customer", "Hi"), ("customer", "Are you free?")])
    provider = thread.provider.user
    now = timezone.now()

    assert services.send_unread_emails(now=now + timedelta(minutes=9)) == 0
    assert services.send_unread_emails(now=now + timedelta(minutes=11)) == 1
    services.send_message(conversation=thread, sender=thread.customer, body="Hello?")
    assert services.send_unread_emails(now=now + timedelta(minutes=30)) == 0

    (email,) = _unread_emails(provider)
    assert "2 unread messages" in email.title
    assert email.url == thread.get_absolute_url()
    assert not _unread_emails(thread.customer)


def test_reading_the_conversation_makes_the_next_unread_message_emailable_again():
    thread = conversation(messages=[("customer", "Hi")])
    provider = thread.provider.user
    now = timezone.now()
    services.send_unread_emails(now=now + timedelta(minutes=11))
    services.mark_read(conversation=thread, user=provider)
    services.send_message(conversation=thread, sender=thread.customer, body="Still there?")

    services.send_unread_emails(now=now + timedelta(minutes=25))

    assert len(_unread_emails(provider)) == 2


def test_a_read_message_sends_no_email():
    thread = conversation(messages=[("customer", "Hi")])
    services.mark_read(conversation=thread, user=thread.provider.user)

    assert services.send_unread_emails(now=timezone.now() + timedelta(minutes=11)) == 0


def test_the_unread_email_can_be_turned_off():
    thread = conversation(messages=[("customer", "Hi")])
    services.set_email_preference(user=thread.provider.user, email_unread=False)

    services.send_unread_emails(now=timezone.now() + timedelta(minutes=11))

    assert not _unread_emails(thread.provider.user)


def test_the_unread_email_masks_contacts_like_the_page():
    thread = conversation(messages=[("customer", CONTACTS)])
    services.send_unread_emails(now=timezone.now() + timedelta(minutes=11))

    (email,) = _unread_emails(thread.provider.user)
    assert "555" not in email.body and "cora@" not in email.body
