"""A person's own data: the export holds exactly theirs; deleting the account keeps what
others need without them and removes the rest, row kind by row kind."""

import json
import os
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts.models import (
    ApiSession,
    ServiceProviderProfile,
    User,
    UserProfile,
    VerificationApplication,
    VerificationDocument,
    VerificationStatus,
)
from accounts.tests.factories import (
    PASSWORD,
    AdminFactory,
    CustomerFactory,
    apply_for_verification,
)
from booking import services as booking_services
from booking.models import (
    Booking,
    BookingStatus,
    BookingStatusHistory,
    ProviderSchedule,
    TimeOff,
    WeeklyAvailability,
)
from booking.tests.factories import BookingFactory, bookable_service
from catalog.models import Service
from catalog.services import sync_provider_listings
from notifications.models import Notification
from notifications.services import notify
from pages import privacy
from pages.models import ContactMessage
from reviews.models import Review
from reviews.tests.factories import ReviewFactory, completed_booking

pytestmark = pytest.mark.django_db

EXPORT = reverse("pages:data_export")
DELETE = reverse("pages:delete_account")


@pytest.fixture
def service():
    return bookable_service(title="Leak repair")


@pytest.fixture
def customer():
    customer = CustomerFactory(
        email="rosa@example.com", first_name="Rosa", last_name="Diaz", phone="+14155550123"
    )
    UserProfile.objects.update_or_create(
        user=customer, defaults={"address": "12 Elm Street", "city": "Austin"}
    )
    return customer


@pytest.fixture
def history(service, customer):
    """Rosa's finished, reviewed job and her cancelled request; and another customer's job
    with the same provider, which is none of Rosa's business."""
    done = completed_booking(
        service=service,
        customer=customer,
        customer_notes="Gate code 1234",
        service_address="12 Elm Street",
    )
    review = ReviewFactory(booking=done, title="Quick and tidy", comment="Fixed in an hour.")
    cancelled = BookingFactory(
        service=service,
        customer=customer,
        status=BookingStatus.CANCELLED,
        cancelled_by=customer,
        cancellation_reason="Found someone nearer",
    )
    BookingStatusHistory.objects.create(
        booking=cancelled,
        from_status="PENDING",
        to_status="CANCELLED",
        changed_by=customer,
        changed_at=cancelled.starts_at,
        notes="Found someone nearer",
    )
    other = CustomerFactory(email="other@example.com", first_name="Olga")
    theirs = completed_booking(service=service, customer=other, customer_notes="Dog in the yard")
    notify(recipient=customer, kind="BOOKING_CONFIRMED", event_key="x:1", title="Rosa's news")
    notify(recipient=other, kind="BOOKING_CONFIRMED", event_key="x:2", title="Olga's news")
    ContactMessage.objects.create(
        name="Rosa", email="rosa@example.com", subject="Rosa asks", message="?"
    )
    ContactMessage.objects.create(
        name="Olga", email="other@example.com", subject="Olga asks", message="?"
    )
    return {
        "done": done,
        "review": review,
        "cancelled": cancelled,
        "theirs": theirs,
        "other": other,
    }


def _applied(service, **fields) -> VerificationApplication:
    """A verification application with its documents from the (verified) provider of
    `service`, whose services stay listed."""
    profiles = ServiceProviderProfile.objects.filter(pk=service.provider_id)
    profiles.update(verification_status=VerificationStatus.PENDING)
    application = apply_for_verification(service.provider.user, **fields)
    profiles.update(verification_status=VerificationStatus.VERIFIED)
    sync_provider_listings(provider=profiles.get())
    return application


def _export(client, user) -> dict:
    client.force_login(user)
    response = client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="marketplace-my-data.json"'
    return json.loads(response.content)


# --- Export ------------------------------------------------------------------------------


def test_a_customers_export_holds_their_account_bookings_reviews_and_messages(
    client, customer, history
):
    data = _export(client, customer)

    assert data["account"]["email"] == "rosa@example.com"
    assert data["account"]["phone"] == "+14155550123"
    assert data["account"]["email_addresses"] == [
        {"email": "rosa@example.com", "verified": True, "primary": True}
    ]
    assert data["profile"]["address"] == "12 Elm Street"
    assert sorted(b["reference"] for b in data["bookings"]) == sorted(
        [history["done"].booking_reference, history["cancelled"].booking_reference]
    )
    done = next(b for b in data["bookings"] if b["reference"] == history["done"].booking_reference)
    assert (done["notes"], done["service"], done["estimated_total"]) == (
        "Gate code 1234",
        "Leak repair",
        "120.00",
    )
    cancelled = next(b for b in data["bookings"] if b["status"] == "CANCELLED")
    assert cancelled["history"][0]["changed_by"] == "you"
    assert [r["title"] for r in data["reviews_written"]] == ["Quick and tidy"]
    assert [n["title"] for n in data["notifications"]] == ["Rosa's news"]
    assert [m["subject"] for m in data["contact_messages"]] == ["Rosa asks"]
    assert data["provider"] is None


def test_an_export_holds_nobody_elses_data(client, customer, history):
    text = json.dumps(_export(client, customer))

    for theirs in (
        history["theirs"].booking_reference,
        "Dog in the yard",
        "other@example.com",
        "Olga",
    ):
        assert theirs not in text


def test_a_providers_export_holds_their_business_and_jobs_without_customers_details(
    client, service, customer, history
):
    provider = service.provider.user
    _applied(service, statement="Ten years of plumbing.")

    data = _export(client, provider)

    business = data["provider"]
    assert [s["title"] for s in business["services"]] == ["Leak repair"]
    assert business["schedule"]["time_zone"] == "America/Chicago"
    assert len(business["weekly_hours"]) == 5
    (application,) = business["verification_applications"]
    assert application["statement"] == "Ten years of plumbing."
    assert {d["kind"] for d in application["documents"]} == {"IDENTITY", "TRADE"}
    assert len(business["jobs"]) == 3
    assert [r["title"] for r in business["reviews_received"]] == ["Quick and tidy"]
    text = json.dumps(data)
    for customers_own in ("rosa@example.com", "Gate code 1234", "12 Elm Street", "Rosa"):
        assert customers_own not in text


def test_the_export_needs_a_login(client):
    response = client.get(EXPORT)

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- Deletion: what is kept for others, anonymised --------------------------------------


def _delete(client, user, password=PASSWORD):
    client.force_login(user)
    return client.post(DELETE, {"password": password})


def test_deleting_logs_out_and_says_so(client, customer, history):
    response = _delete(client, customer)

    assert response["Location"] == reverse("catalog:home")
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("catalog:home")).content.decode()
    assert "Your account is deleted." in page


def test_the_user_row_others_refer_to_is_kept_without_name_email_phone_or_password(
    client, customer, history
):
    _delete(client, customer)

    user = User.objects.get(pk=customer.pk)
    assert (user.email, user.first_name, user.last_name, user.phone) == (
        f"deleted-{customer.pk}@deleted.invalid",
        "",
        "",
        "",
    )
    assert not user.is_active
    assert not user.has_usable_password()
    assert not client.login(email="rosa@example.com", password=PASSWORD)


def test_a_customers_bookings_stay_for_the_provider_without_address_or_notes(
    client, customer, history
):
    _delete(client, customer)

    for booking in Booking.objects.filter(customer=customer):
        assert (booking.service_address, booking.service_postal_code, booking.customer_notes) == (
            "",
            "",
            "",
        )
    cancelled = Booking.objects.get(pk=history["cancelled"].pk)
    assert cancelled.cancellation_reason == ""
    assert BookingStatusHistory.objects.get(booking=cancelled).notes == ""
    # The provider's record of the job is there: when, what, for how much.
    done = Booking.objects.get(pk=history["done"].pk)
    assert (done.status, done.estimated_total) == (
        BookingStatus.COMPLETED,
        history["done"].estimated_total,
    )
    # Another customer's booking is untouched.
    theirs = Booking.objects.get(pk=history["theirs"].pk)
    assert theirs.customer_notes == "Dog in the yard"


def test_a_customers_reviews_stay_signed_a_customer(client, customer, history):
    _delete(client, customer)

    review = Review.objects.get(pk=history["review"].pk)
    assert (review.title, review.rating, review.author_name) == ("Quick and tidy", 5, "A customer")


def test_profile_email_addresses_notifications_and_messages_are_deleted(client, customer, history):
    _delete(client, customer)

    assert not UserProfile.objects.filter(user=customer).exists()
    assert not EmailAddress.objects.filter(user=customer).exists()
    assert not Notification.objects.filter(recipient=customer).exists()
    assert list(ContactMessage.objects.values_list("subject", flat=True)) == ["Olga asks"]
    assert Notification.objects.filter(recipient=history["other"]).exists()


def test_api_sessions_end(client, customer, history):
    client.force_login(customer)
    session = Session.objects.get(session_key=client.session.session_key)
    ApiSession.objects.create(session=session, user=customer)

    client.post(DELETE, {"password": PASSWORD})

    assert not ApiSession.objects.filter(user=customer).exists()
    assert not Session.objects.filter(pk=session.pk).exists()


def test_a_provider_with_past_jobs_is_kept_as_a_former_provider_out_of_search(
    client, service, customer, history, django_capture_on_commit_callbacks
):
    provider = service.provider.user
    profile = service.provider
    application = _applied(service, statement="Ten years of plumbing.")
    assert Service.objects.get(pk=service.pk).is_listed
    files = [document.file.path for document in application.documents.all()]
    next_week = timezone.now().date() + timedelta(days=7)
    booking_services.add_time_off(
        provider=profile, start_date=next_week, end_date=next_week, reason="Wedding"
    )
    unbooked = Service.objects.create(
        provider=profile,
        category=service.category,
        title="Never booked",
        slug="never",
        base_price=10,
        duration_minutes=30,
    )

    with django_capture_on_commit_callbacks(execute=True):  # files go after commit
        _delete(client, provider)

    profile = ServiceProviderProfile.objects.get(pk=profile.pk)
    assert (profile.business_name, profile.bio, profile.slug) == (
        "Former provider",
        "",
        f"former-provider-{profile.pk}",
    )
    assert not profile.cities.exists()
    kept = Service.objects.get(pk=service.pk)
    assert (kept.is_active, kept.is_listed) == (False, False)
    assert not Service.objects.filter(pk=unbooked.pk).exists()
    assert Booking.objects.filter(provider=profile).count() == 3  # customers' records
    assert Review.objects.filter(provider=profile).count() == 1
    assert not ProviderSchedule.objects.filter(provider=profile).exists()
    assert not WeeklyAvailability.objects.filter(provider=profile).exists()
    assert not TimeOff.objects.filter(provider=profile).exists()
    assert not VerificationDocument.objects.filter(application__provider=profile).exists()
    kept_application = VerificationApplication.objects.get(pk=application.pk)
    assert (kept_application.statement, kept_application.licence_number) == ("", "")
    for path in files:
        assert not os.path.exists(path)


# --- Deletion: nothing others need, so nothing kept --------------------------------------


def test_a_customer_who_never_booked_is_deleted_entirely(client):
    customer = CustomerFactory()

    _delete(client, customer)

    assert not User.objects.filter(pk=customer.pk).exists()
    assert not EmailAddress.objects.filter(email=customer.email).exists()


def test_a_provider_who_never_worked_is_deleted_with_their_services_and_hours(client):
    service = bookable_service()
    provider = service.provider.user

    _delete(client, provider)

    assert not User.objects.filter(pk=provider.pk).exists()
    assert not ServiceProviderProfile.objects.filter(pk=service.provider_id).exists()
    assert not Service.objects.filter(pk=service.pk).exists()
    assert not WeeklyAvailability.objects.filter(provider_id=service.provider_id).exists()


# --- Deletion: refused, nothing changed --------------------------------------------------


def test_a_wrong_password_deletes_nothing(client, customer, history):
    response = _delete(client, customer, password="not-it")

    assert response.status_code == 400
    assert "That is not your password." in response.content.decode()
    assert User.objects.get(pk=customer.pk).email == "rosa@example.com"


def test_open_bookings_must_be_cancelled_or_finished_first(client, service, customer):
    BookingFactory(service=service, customer=customer, status=BookingStatus.CONFIRMED)

    client.force_login(customer)
    page = client.get(DELETE)
    response = client.post(DELETE, {"password": PASSWORD})

    assert "Cancel or finish them first" in page.content.decode()
    assert response.status_code == 400
    assert User.objects.get(pk=customer.pk).is_active


def test_a_providers_open_jobs_block_deletion_too(service):
    BookingFactory(service=service, status=BookingStatus.PENDING)

    with pytest.raises(privacy.AccountDeletionRefused):
        privacy.delete_account(user=service.provider.user)

    assert (
        ServiceProviderProfile.objects.get(pk=service.provider_id).business_name
        != "Former provider"
    )


def test_admins_are_deactivated_by_another_admin_not_deleted_here(client):
    admin = AdminFactory()

    response = _delete(client, admin)

    assert response.status_code == 400
    assert User.objects.get(pk=admin.pk).is_active
