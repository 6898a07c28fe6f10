import pytest
from django.urls import reverse

from accounts.tests.factories import AdminFactory, CustomerFactory
from booking.tests.factories import BookingFactory, bookable_service

from .. import services
from ..models import Conversation, Message, MessageReport, ReportReason
from .factories import conversation

pytestmark = pytest.mark.django_db


def test_customer_asks_from_a_service_page_and_lands_in_the_conversation(client):
    service = bookable_service()
    customer = CustomerFactory()
    client.force_login(customer)

    page = client.get(service.get_absolute_url())
    assert reverse("messaging:ask", args=[service.pk]) in page.content.decode()
    response = client.post(
        reverse("messaging:ask", args=[service.pk]), {"body": "Do you fix boilers?"}, follow=True
    )

    thread = Conversation.objects.get()
    assert response.redirect_chain[-1][0] == thread.get_absolute_url()
    assert "Do you fix boilers?" in response.content.decode()


def test_an_empty_question_is_shown_again_with_its_error(client):
    service = bookable_service()
    client.force_login(CustomerFactory())

    response = client.post(reverse("messaging:ask", args=[service.pk]), {"body": " "})

    assert response.status_code == 400
    assert "Write a message before sending." in response.content.decode()
    assert not Message.objects.exists()


def test_too_many_messages_are_refused_with_retry_after(client, settings):
    settings.MESSAGING_SEND_RATE_PER_CONVERSATION = "2/m"
    thread = conversation()
    client.force_login(thread.customer)
    url = thread.get_absolute_url()
    for text in ("one", "two"):
        assert client.post(url, {"body": text}).status_code == 302

    response = client.post(url, {"body": "three"})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "faster than we allow" in response.content.decode()
    assert Message.objects.count() == 2


def test_the_inbox_counts_unread_messages_in_constant_queries(client, django_assert_num_queries):
    provider_service = bookable_service()
    for _ in range(3):
        conversation(service=provider_service, messages=[("customer", "Hello"), ("customer", "?")])
    client.force_login(provider_service.provider.user)

    # user, count, page, email preference, both nav badges: the same for 3 and 4 threads
    with django_assert_num_queries(6):
        response = client.get(reverse("messaging:inbox"))
    conversation(service=provider_service, messages=[("customer", "More")])
    with django_assert_num_queries(6):
        client.get(reverse("messaging:inbox"))

    assert response.content.decode().count('2<span class="visually-hidden"> unread') == 3


def test_the_nav_badge_counts_unread_messages(client):
    thread = conversation(messages=[("customer", "Hi")])
    client.force_login(thread.provider.user)

    badge = client.get(reverse("messaging:unread_badge"), HTTP_HX_REQUEST="true")

    assert (
        '<span class="badge-count">1<span class="visually-hidden"> unread' in badge.content.decode()
    )


def test_opening_the_conversation_marks_it_read(client):
    thread = conversation(messages=[("customer", "Hi")])
    client.force_login(thread.provider.user)

    client.get(thread.get_absolute_url())

    badge = client.get(reverse("messaging:unread_badge"))
    assert "badge-count" not in badge.content.decode()


def test_links_are_clickable_and_markup_is_not(client):
    thread = conversation(
        messages=[("customer", "See https://example.com/x <script>alert(1)</script>")]
    )
    client.force_login(thread.provider.user)

    html = client.get(thread.get_absolute_url()).content.decode()

    assert '<a href="https://example.com/x" rel="nofollow noopener noreferrer ugc">' in html
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_htmx_send_answers_with_the_thread_and_an_empty_form(client):
    thread = conversation(messages=[("customer", "Hi")])
    client.force_login(thread.provider.user)

    response = client.post(
        thread.get_absolute_url(), {"body": "Hello back"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="thread"' in html and "Hello back" in html
    assert 'id="message-form"' in html and 'hx-swap-oob="true"' in html


def test_a_booking_page_shows_its_conversation(client):
    booking = BookingFactory()
    client.force_login(booking.customer)
    page = client.get(booking.get_absolute_url()).content.decode()
    assert reverse("messaging:booking", args=[booking.booking_reference]) in page

    client.post(
        reverse("messaging:booking", args=[booking.booking_reference]), {"body": "Gate code 1234"}
    )
    page = client.get(booking.get_absolute_url()).content.decode()

    assert "Open the conversation" in page
    assert "Gate code 1234" in page


def test_report_then_an_admin_reads_and_hides(client):
    thread = conversation(messages=[("provider", "Send money to my account")])
    message = thread.messages.get()
    client.force_login(thread.customer)
    client.post(
        reverse("messaging:report", args=[thread.pk, message.pk]),
        {"reason": ReportReason.OFF_PLATFORM, "details": "Wants payment outside"},
    )
    assert MessageReport.objects.filter(message=message).exists()

    client.force_login(AdminFactory())
    assert client.get(thread.get_absolute_url()).status_code == 200
    client.post(reverse("messaging:hide", args=[thread.pk, message.pk]), {"reason": "fraud"})

    client.force_login(thread.customer)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "removed by the marketplace team" in html
    assert "Send money" not in html


def test_reports_are_listed_in_django_admin(client):
    thread = conversation(messages=[("provider", "Spam spam")])
    services.report_message(
        message=thread.messages.get(), reporter=thread.customer, reason=ReportReason.SPAM
    )
    client.force_login(AdminFactory())

    page = client.get(reverse("admin:messaging_messagereport_changelist"))

    assert page.status_code == 200
    assert "Spam spam" in page.content.decode()


def _png(name="tap.png", size=(200, 120)):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.tests.factories import image_bytes

    return SimpleUploadedFile(name, image_bytes("PNG", size), content_type="image/png")


def test_a_photo_is_sent_cleaned_and_shown_only_to_the_two_participants(client):
    from PIL import Image

    thread = conversation()
    client.force_login(thread.customer)
    client.post(thread.get_absolute_url(), {"body": "", "photos": [_png()]})
    (photo,) = Message.objects.get().attachments.all()

    page = client.get(thread.get_absolute_url()).content.decode()
    assert photo.get_absolute_url() in page
    served = client.get(photo.get_absolute_url())
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert "private" in served["Cache-Control"]
    with Image.open(__import__("io").BytesIO(b"".join(served.streaming_content))) as image:
        assert image.size == (200, 120)
        assert not image.getexif()
    client.force_login(thread.provider.user)
    assert client.get(photo.get_absolute_url()).status_code == 200
    for stranger in (CustomerFactory(), AdminFactory()):
        client.force_login(stranger)
        assert client.get(photo.get_absolute_url()).status_code == 404


def test_a_file_that_is_not_a_picture_is_refused_by_name(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    thread = conversation()
    client.force_login(thread.customer)

    response = client.post(
        thread.get_absolute_url(),
        {"body": "see", "photos": [SimpleUploadedFile("notes.png", b"not an image")]},
    )

    assert response.status_code == 400
    assert "notes.png" in response.content.decode()
    assert not Message.objects.exists()


def test_too_many_photos_are_refused(client, settings):
    settings.MESSAGING_MAX_PHOTOS = 1
    thread = conversation()
    client.force_login(thread.customer)

    response = client.post(
        thread.get_absolute_url(), {"body": "", "photos": [_png(), _png("b.png")]}
    )

    assert response.status_code == 400
    assert not Message.objects.exists()


def test_the_unread_email_is_turned_off_from_the_profile(client):
    from ..models import MessagingPreference

    customer = CustomerFactory()
    client.force_login(customer)
    profile = reverse("accounts:profile")
    assert "Email me when a message waits unread" in client.get(profile).content.decode()

    response = client.post(reverse("messaging:preferences"), {"next": profile})

    assert response.status_code == 302 and response["Location"] == profile
    assert MessagingPreference.objects.get(user=customer).email_unread is False
