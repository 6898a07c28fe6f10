"""The contact form stores the message, tells the team by email through the outbox, answers
with a clear confirmation, and is rate limited."""

import pytest
from django.urls import reverse

from accounts.tests.factories import AdminFactory, CustomerFactory, SuperadminFactory
from notifications.models import Notification, NotificationKind
from pages.models import ContactMessage

pytestmark = pytest.mark.django_db

CONTACT = reverse("pages:contact")


def message(**overrides):
    return {
        "name": "Rosa Diaz",
        "email": "rosa@example.com",
        "subject": "Where is my invoice?",
        "message": "I booked a plumber last week.",
    } | overrides


@pytest.fixture
def team():
    inactive = AdminFactory()
    inactive.is_active = False
    inactive.save()
    return [AdminFactory(), SuperadminFactory()]


def test_a_message_is_stored_and_each_admin_is_emailed_once(
    client, team, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CONTACT, message())

    assert response["Location"] == reverse("pages:contact_sent")
    stored = ContactMessage.objects.get()
    assert (stored.name, stored.email, stored.subject, stored.sender) == (
        "Rosa Diaz",
        "rosa@example.com",
        "Where is my invoice?",
        None,
    )
    assert sorted(m.to[0] for m in mailoutbox) == sorted(member.email for member in team)
    mail = mailoutbox[0]
    assert mail.subject == "[Marketplace] Contact form: Where is my invoice?"
    assert "From Rosa Diaz <rosa@example.com>:" in mail.body
    assert "I booked a plumber last week." in mail.body
    assert f"/admin/pages/contactmessage/{stored.pk}/change/" in mail.body
    assert Notification.objects.filter(kind=NotificationKind.CONTACT_MESSAGE).count() == 2


def test_the_sender_sees_a_clear_confirmation(client, team):
    response = client.post(CONTACT, message(), follow=True)

    page = response.content.decode()
    assert "<h1>Message sent</h1>" in page
    assert "Thank you, your message is sent. We will answer by email to rosa@example.com" in page


def test_a_signed_in_person_finds_their_details_filled_in_and_is_recorded_as_sender(client, team):
    customer = CustomerFactory(first_name="Ana", last_name="Lopez", email="ana@example.com")
    client.force_login(customer)

    page = client.get(CONTACT).content.decode()
    client.post(CONTACT, message(name="Ana Lopez", email="ana@example.com"))

    assert 'value="Ana Lopez"' in page and 'value="ana@example.com"' in page
    assert ContactMessage.objects.get().sender == customer


def test_a_message_missing_its_words_is_shown_again_and_nothing_is_sent(client, team, mailoutbox):
    response = client.post(CONTACT, message(message="", email="not-an-email"))

    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page
    assert "Enter a valid email address." in page
    assert 'value="Where is my invoice?"' in page  # what was typed stays
    assert not ContactMessage.objects.exists()
    assert not mailoutbox


def test_too_many_messages_are_refused_with_retry_after_and_nothing_is_stored(
    client, team, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.PAGES_CONTACT_RATE_LIMIT = "2/h"
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            assert client.post(CONTACT, message(subject=f"Try {n}")).status_code == 302

        refused = client.post(CONTACT, message(subject="Third"))

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert "You have sent several messages in a short time" in refused.content.decode()
    assert list(ContactMessage.objects.order_by("pk").values_list("subject", flat=True)) == [
        "Try 0",
        "Try 1",
    ]
    assert len(mailoutbox) == 2 * len(team)


def test_a_markup_subject_reaches_the_team_as_text(client, team):
    client.post(CONTACT, message(subject="<script>alert(1)</script>"))
    admin = team[0]
    client.force_login(admin)

    page = client.get(reverse("notifications:list")).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
