"""Stored XSS: markup typed into any free-text field comes back escaped, on every page and
in every HTML email that shows it.

Each field gets its own payload, `<script>alert("tag")</script>"><img src=x onerror=…>`,
stored through the service layer as a user would store it. A page passes when no payload
appears raw and the escaped payloads it is expected to show are there (so a field that
silently stopped being shown does not make the test pass by accident).
"""

from datetime import date, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts import services as account_services
from accounts.models import Role, VerificationApplication, VerificationStatus
from accounts.tests.factories import (
    PDF_BYTES,
    AdminFactory,
    CityFactory,
    SuperadminFactory,
    png_upload,
)
from booking import selectors as booking_selectors
from booking import services as booking_services
from booking.models import BookingStatus
from catalog import services as catalog_services
from catalog.models import ServiceCategory
from notifications.models import Notification
from notifications.services import deliver_email
from reviews import services as review_services
from reviews.tests.factories import completed_booking

from .conftest import built_once

pytestmark = pytest.mark.django_db

RAW_MARKERS = ("<script>alert(", "<img src=x onerror=")


def payload(tag: str) -> str:
    return f'<script>alert("{tag}")</script>"><img src=x onerror=alert("{tag}")>'


def shown(tag: str) -> str:
    """How the payload reads once escaped (linebreaks filters escape the same way)."""
    return str(escape(payload(tag)))


def _build():
    superadmin = SuperadminFactory(email="xss-superadmin@example.com")
    admin = AdminFactory(email="xss-admin@example.com")
    # Cities and categories come from admins, and are shown everywhere.
    city = CityFactory(name=payload("city"), state="TX", slug="austin-tx")
    category = catalog_services.save_category(
        category=ServiceCategory(name=payload("cat"), slug="plumbing", description=payload("catd"))
    )

    customer = account_services.register_user(
        email="xss-customer@example.com",
        password="x",
        role=Role.CUSTOMER,
        first_name=payload("cfn"),
        last_name=payload("cln"),
    )
    account_services.update_profile(
        user=customer,
        user_fields={},
        profile_fields={"address": payload("paddr"), "city": payload("pcity")},
    )
    provider = account_services.register_user(
        email="xss-provider@example.com",
        password="x",
        role=Role.PROVIDER,
        first_name=payload("pfn"),
        last_name=payload("pln"),
    )
    for user in (customer, provider):
        user.emailaddress_set.create(email=user.email, verified=True, primary=True)
    account_services.update_provider_profile(
        user=provider,
        fields={"business_name": payload("biz"), "bio": payload("bio"), "years_of_experience": 3},
        cities=[city],
    )
    first = account_services.submit_verification_application(
        user=provider,
        statement=payload("stmt"),
        licence_number=payload("lic")[:64],
        identity_documents=[png_upload(name='"><img src=x onerror=alert(1)>.png')],
        trade_documents=[SimpleUploadedFile("licence.pdf", PDF_BYTES, "application/pdf")],
    )
    profile = provider.provider_profile
    account_services.decide_verification(
        provider=profile,
        status=VerificationStatus.REJECTED,
        by=superadmin,
        reason=payload("rej"),
        application=first,
    )
    account_services.submit_verification_application(
        user=provider,
        statement="Second try.",
        identity_documents=[png_upload()],
        trade_documents=[SimpleUploadedFile("licence.pdf", PDF_BYTES, "application/pdf")],
    )
    account_services.decide_verification(
        provider=profile, status=VerificationStatus.VERIFIED, by=superadmin
    )

    booking_services.ensure_schedule(provider=profile)
    booking_services.set_weekly_availability(
        provider=profile,
        intervals=[(day, time(9), time(17)) for day in range(7)],
    )
    booking_services.add_time_off(
        provider=profile,
        start_date=date.today() + timedelta(days=40),
        end_date=date.today() + timedelta(days=41),
        reason=payload("off")[:200],
    )
    service = catalog_services.create_service(
        user=provider,
        title=payload("title"),
        short_description=payload("short"),
        description=payload("desc"),
        category=category,
        pricing_type="FIXED",
        base_price="80.00",
        currency="USD",
        duration_minutes=60,
        is_active=True,
    )
    day = timezone.localdate() + timedelta(days=3)
    slot = booking_selectors.free_slots(service=service, date=day)[0]
    booking = booking_services.create_booking(
        customer=customer,
        service=service,
        starts_at=slot,
        service_address=payload("addr"),
        service_city=city,
        service_state=payload("state"),
        service_postal_code="78701",
        customer_notes=payload("notes"),
    )
    booking_services.transition_booking(
        booking=booking, to_status=BookingStatus.CONFIRMED, by=provider
    )
    cancelled = booking_services.create_booking(
        customer=customer,
        service=service,
        starts_at=booking_selectors.free_slots(service=service, date=day)[0],
        service_address="1 Main Street",
        service_city=city,
        service_state="TX",
        service_postal_code="78701",
        customer_notes="",
    )
    booking_services.transition_booking(
        booking=cancelled, to_status=BookingStatus.CONFIRMED, by=provider
    )
    booking_services.transition_booking(
        booking=cancelled, to_status=BookingStatus.CANCELLED, by=provider, notes=payload("why")
    )
    done = completed_booking(service=service, customer=customer)
    review = review_services.submit_review(
        booking=done,
        customer=customer,
        rating=4,
        title=payload("rtitle"),
        comment=payload("rcomment"),
        quality_rating=4,
        punctuality_rating=4,
        professionalism_rating=4,
        value_rating=4,
    )
    review_services.reply_to_review(review=review, provider_user=provider, text=payload("reply"))
    return {
        "customer": customer,
        "provider": provider,
        "admin": admin,
        "superadmin": superadmin,
        "service": service,
        "booking": booking,
        "cancelled": cancelled,
        "review": review,
        "category": category,
    }


@pytest.fixture(scope="module")
def xss(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory, _build) as built:
        yield built


def _assert_escaped(body: str, expected_tags, where):
    raw = [marker for marker in RAW_MARKERS if marker in body]
    assert not raw, f"{where}: raw markup {raw} in the page"
    missing = [tag for tag in expected_tags if shown(tag) not in body]
    assert not missing, f"{where}: expected to show (escaped) {missing}"


# (who looks, URL from the world, the payloads the page shows)
PAGES = {
    "home page": (None, lambda x: reverse("catalog:home"), ["cat", "catd"]),
    "service page": (
        None,
        lambda x: x["service"].get_absolute_url(),
        ["title", "desc", "biz", "rtitle", "rcomment", "reply", "cat"],
    ),
    "provider page": (
        None,
        lambda x: reverse("catalog:provider_detail", args=[x["provider"].provider_profile.slug]),
        ["biz", "bio", "title", "short", "rtitle", "rcomment", "reply"],
    ),
    "category page": (
        None,
        lambda x: reverse("catalog:category", args=[x["category"].slug]),
        ["title", "short", "biz", "cat"],
    ),
    "booking step": (
        None,
        lambda x: reverse("booking:book_date", args=[x["service"].pk]),
        ["title"],
    ),
    "booking, as its customer": (
        "customer",
        lambda x: x["booking"].get_absolute_url(),
        ["title", "addr", "notes", "biz", "city"],
    ),
    "cancelled booking, as its customer": (
        "customer",
        lambda x: x["cancelled"].get_absolute_url(),
        ["why"],
    ),
    "booking, as its provider": (
        "provider",
        lambda x: x["booking"].get_absolute_url(),
        ["title", "addr", "state", "notes", "cfn"],
    ),
    "my bookings": ("customer", lambda x: reverse("booking:my_bookings"), ["title"]),
    "provider dashboard": (
        "provider",
        lambda x: reverse("booking:provider_dashboard") + "?agenda=week",
        ["title", "cfn"],
    ),
    "my services": ("provider", lambda x: reverse("catalog:my_services"), ["title"]),
    "service form": (
        "provider",
        lambda x: reverse("catalog:service_edit", args=[x["service"].pk]),
        ["title", "short", "desc"],
    ),
    "availability": ("provider", lambda x: reverse("booking:availability"), ["off"]),
    "verification page": (
        "provider",
        lambda x: reverse("accounts:verification"),
        ["stmt", "rej"],
    ),
    "business profile form": (
        "provider",
        lambda x: reverse("accounts:provider_profile"),
        ["biz", "bio"],
    ),
    "profile form": (
        "customer",
        lambda x: reverse("accounts:profile"),
        ["cfn", "cln", "paddr", "pcity"],
    ),
    "customer dashboard": ("customer", lambda x: reverse("accounts:dashboard"), []),
    "customer notifications": ("customer", lambda x: reverse("notifications:list"), ["reply"]),
    "provider notifications": ("provider", lambda x: reverse("notifications:list"), ["notes"]),
    "review form": (
        "customer",
        lambda x: reverse("reviews:write", args=[x["review"].booking.booking_reference]),
        ["rtitle", "rcomment"],
    ),
    "admin: services": ("admin", lambda x: reverse("admin:catalog_service_changelist"), ["title"]),
    "admin: a service": (
        "admin",
        lambda x: reverse("admin:catalog_service_change", args=[x["service"].pk]),
        ["title", "short", "desc"],
    ),
    "admin: a booking": (
        "admin",
        lambda x: reverse("admin:booking_booking_change", args=[x["booking"].pk]),
        ["addr", "notes"],
    ),
    "admin: a review": (
        "admin",
        lambda x: reverse("admin:reviews_review_change", args=[x["review"].pk]),
        ["rtitle", "rcomment", "reply"],
    ),
    "admin: users": ("admin", lambda x: reverse("admin:accounts_user_changelist"), ["cfn"]),
    "admin: applications": (
        "admin",
        lambda x: reverse("admin:accounts_verificationapplication_changelist"),
        [],
    ),
    "admin: an application": (
        "admin",
        lambda x: reverse(
            "admin:accounts_verificationapplication_change",
            args=[
                VerificationApplication.objects.filter(provider__user=x["provider"])
                .order_by("pk")
                .first()
                .pk
            ],
        ),
        ["stmt", "rej"],
    ),
    "admin: a provider": (
        "superadmin",
        lambda x: reverse(
            "admin:accounts_serviceproviderprofile_change",
            args=[x["provider"].provider_profile.pk],
        ),
        ["biz", "bio"],
    ),
    "admin: time off": ("admin", lambda x: reverse("admin:booking_timeoff_changelist"), []),
    "admin: notifications": (
        "admin",
        lambda x: reverse("admin:notifications_notification_changelist"),
        [],
    ),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_stored_markup_is_escaped_on_every_page(xss, page):
    who, url_for, expected = PAGES[page]
    client = Client()
    if who:
        client.force_login(xss[who])

    response = client.get(url_for(xss))

    assert response.status_code == 200, page
    _assert_escaped(response.content.decode(), expected, page)


def test_uploaded_file_names_are_escaped_on_the_verification_page(xss):
    client = Client()
    client.force_login(xss["provider"])

    body = client.get(reverse("accounts:verification")).content.decode()

    assert "<img src=x onerror=alert(1)>" not in body
    assert escape('"><img src=x onerror=alert(1)>.png') in body


def test_html_emails_escape_stored_markup(xss, mailoutbox):
    for notification in Notification.objects.all():
        deliver_email(notification_id=notification.pk)

    html_bodies = [
        content
        for message in mailoutbox
        for content, mimetype in message.alternatives
        if mimetype == "text/html"
    ]
    assert len(html_bodies) >= 5
    joined = "\n".join(html_bodies)
    for marker in RAW_MARKERS:
        assert marker not in joined
    for tag in ("notes", "why", "cfn"):
        assert shown(tag) in joined, tag


def test_the_api_returns_stored_markup_as_plain_json_text(xss, client):
    body = client.get(f"/api/services/{xss['service'].pk}/").json()

    assert body["title"] == payload("title")  # data, not markup: a client must escape it
    content_type = client.get(f"/api/services/{xss['service'].pk}/")["Content-Type"]
    assert content_type.startswith("application/json")


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_flash_messages_quoting_a_stored_title_are_escaped(xss, htmx):
    client = Client()
    client.force_login(xss["provider"])
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}

    response = client.post(
        reverse("catalog:service_toggle", args=[xss["service"].pk]), follow=True, **headers
    )

    body = response.content.decode()
    assert "paused" in body  # the message is there...
    _assert_escaped(body, ["title"], "flash message")  # ...with the title escaped


@pytest.mark.parametrize(
    ("path", "reflected"),
    [
        ("/search/?q={}", True),  # "Results for …" and the search box
        ("/search/?city={}", False),  # an unknown city is reported and ignored
        ("/search/?min_price={}", False),
        ("/no-such-page/{}/", False),
    ],
)
def test_markup_sent_in_a_url_is_escaped_in_the_answer(client, path, reflected):
    response = client.get(path.format(payload("url")))

    body = response.content.decode()
    for marker in RAW_MARKERS:
        assert marker not in body
    if reflected:
        assert shown("url") in body


# The site's own pages (#19): operators' Markdown is cleaned, contact messages escaped.


def test_operator_markdown_with_markup_is_cleaned_on_the_public_page(client):
    from pages.models import Page, PageSlug

    Page.objects.update_or_create(
        slug=PageSlug.HELP,
        defaults={
            "title": "Help",
            "description": payload("pdesc"),
            "body": f'## Ask\n\n{payload("pbody")}\n\n<a href="javascript:alert(1)">x</a>',
        },
    )

    page = client.get(reverse("pages:help")).content.decode()

    assert not [marker for marker in RAW_MARKERS if marker in page]
    assert "javascript:" not in page
    assert shown("pdesc") in page  # the meta description, escaped


def test_contact_message_markup_is_escaped_for_the_team(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    admin = AdminFactory(email="xss-team@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("pages:contact"),
            {
                "name": payload("cname"),
                "email": "xss@example.com",
                "subject": payload("csubj"),
                "message": payload("cmsg"),
            },
        )
    from pages.models import ContactMessage

    contact = ContactMessage.objects.get()
    client.force_login(admin)
    pages = [
        client.get(reverse("admin:pages_contactmessage_change", args=[contact.pk])),
        client.get(reverse("admin:pages_contactmessage_changelist")),
        client.get(reverse("notifications:list")),
    ]
    (mail,) = [m for m in mailoutbox if m.to == [admin.email]]
    html_email = mail.alternatives[0][0]

    for text in [*(p.content.decode() for p in pages), html_email]:
        assert not [marker for marker in RAW_MARKERS if marker in text]
    assert shown("cmsg") in pages[0].content.decode()
