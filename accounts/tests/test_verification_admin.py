"""Admins decide on verification in the real admin: the queue, the actions, the history."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import (
    DocumentKind,
    ServiceProviderProfile,
    VerificationApplication,
    VerificationDecision,
    VerificationStatus,
)
from catalog.tests.factories import ServiceFactory
from notifications.models import Notification, NotificationKind

from .factories import (
    AdminFactory,
    CustomerFactory,
    ProviderFactory,
    SuperadminFactory,
    apply_for_verification,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:accounts_verificationapplication_changelist")
PROVIDERS = reverse("admin:accounts_serviceproviderprofile_changelist")
SEARCH = reverse("catalog:search")


@pytest.fixture(params=[AdminFactory, SuperadminFactory], ids=["admin", "superadmin"])
def staff(request):
    return request.param()


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def pending_application(**provider_fields):
    provider = ProviderFactory(verification=VerificationStatus.PENDING, **provider_fields)
    return apply_for_verification(provider)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def search_titles(client):
    return [service.title for service in client.get(SEARCH).context["results"].services]


# --- The queue ---------------------------------------------------------------------------


def test_queue_shows_pending_applications_first_oldest_first(client):
    now = timezone.now()
    newer, older, decided = pending_application(), pending_application(), pending_application()
    VerificationApplication.objects.filter(pk=newer.pk).update(
        submitted_at=now - datetime.timedelta(days=1)
    )
    VerificationApplication.objects.filter(pk=older.pk).update(
        submitted_at=now - datetime.timedelta(days=5)
    )
    VerificationApplication.objects.filter(pk=decided.pk).update(
        submitted_at=now - datetime.timedelta(days=9),
        status=VerificationStatus.VERIFIED,
        decided_at=now,
    )
    client.force_login(AdminFactory())

    response = client.get(QUEUE)

    assert response.status_code == 200
    assert [a.pk for a in response.context["cl"].result_list] == [older.pk, newer.pk, decided.pk]


def test_queue_filters_by_status(client):
    waiting = pending_application()
    VerificationApplication.objects.filter(pk=pending_application().pk).update(
        status=VerificationStatus.VERIFIED
    )
    client.force_login(AdminFactory())

    response = client.get(QUEUE, {"status__exact": VerificationStatus.PENDING})

    assert [a.pk for a in response.context["cl"].result_list] == [waiting.pk]


def test_application_page_shows_documents_through_the_access_checked_view(staff_client):
    application = pending_application()

    response = staff_client.get(
        reverse("admin:accounts_verificationapplication_change", args=[application.pk])
    )

    body = response.content.decode()
    assert response.status_code == 200
    for document in application.documents.all():
        assert f'<a href="{document.get_absolute_url()}">Download {document.original_name}</a>' in (
            body
        )
    image = application.documents.get(content_type="image/png")
    assert f'<img src="{image.get_absolute_url()}"' in body  # the preview
    assert 'name="_save"' not in body  # nothing to edit: decisions are actions
    assert "/media/" not in body


def test_applications_are_neither_added_nor_deleted_in_the_admin(staff_client):
    application = pending_application()

    add = staff_client.get(reverse("admin:accounts_verificationapplication_add"))
    delete = staff_client.post(
        reverse("admin:accounts_verificationapplication_delete", args=[application.pk]),
        {"post": "yes"},
    )

    assert (add.status_code, delete.status_code) == (403, 403)
    assert VerificationApplication.objects.filter(pk=application.pk).exists()


@pytest.mark.parametrize("factory", [CustomerFactory, ProviderFactory])
def test_customers_and_providers_cannot_open_the_queue(client, factory):
    client.force_login(factory())

    response = client.get(QUEUE)

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


# --- Approve and reject -------------------------------------------------------------------


def test_staff_approve_several_applications_at_once_audited_and_notified(
    staff_client, staff, django_capture_on_commit_callbacks, mailoutbox
):
    first, second = pending_application(), pending_application()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            QUEUE, {"action": "approve", ACTION_CHECKBOX_NAME: [first.pk, second.pk]}, follow=True
        )

    # In queue order: the oldest application first.
    assert f"Verified {first.provider}, {second.provider}." in messages_of(response)
    for application in (first, second):
        application.refresh_from_db()
        assert application.status == VerificationStatus.VERIFIED
        assert application.decided_by == staff
        assert application.decided_at is not None
        assert ServiceProviderProfile.objects.get(pk=application.provider_id).is_verified
        decision = VerificationDecision.objects.get(application=application)
        assert (decision.decided_by, decision.status) == (staff, VerificationStatus.VERIFIED)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        a.provider.user.email for a in (first, second)
    )
    assert {m.subject for m in mailoutbox} == {
        "[Marketplace] You are verified: customers can book you"
    }
    assert Notification.objects.filter(kind=NotificationKind.VERIFICATION_APPROVED).count() == 2


def test_reject_asks_for_a_reason_before_changing_anything(staff_client, mailoutbox):
    application = pending_application()
    selected = {"action": "reject", ACTION_CHECKBOX_NAME: [application.pk]}

    confirmation = staff_client.post(QUEUE, selected)
    without_reason = staff_client.post(
        QUEUE, selected | {"confirm_rejection": "yes", "reason": " "}
    )

    assert confirmation.status_code == 200
    assert "Reject with this reason" in confirmation.content.decode()
    assert str(application.provider) in confirmation.content.decode()
    assert "This field is required." in without_reason.content.decode()
    application.refresh_from_db()
    assert application.status == VerificationStatus.PENDING
    assert not VerificationDecision.objects.exists()
    assert mailoutbox == []


def test_staff_reject_with_a_reason_audited_and_notified(
    staff_client, staff, django_capture_on_commit_callbacks, mailoutbox
):
    application = pending_application()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            QUEUE,
            {
                "action": "reject",
                ACTION_CHECKBOX_NAME: [application.pk],
                "confirm_rejection": "yes",
                "reason": "The insurance certificate is for another business.",
            },
        )

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.decided_by, application.reason) == (
        VerificationStatus.REJECTED,
        staff,
        "The insurance certificate is for another business.",
    )
    assert application.provider.verification_status == VerificationStatus.REJECTED
    [email] = mailoutbox
    assert email.subject == "[Marketplace] Your verification was not approved"
    assert "Reason: The insurance certificate is for another business." in email.body
    notification = Notification.objects.get(recipient=application.provider.user)
    assert notification.kind == NotificationKind.VERIFICATION_REJECTED


def test_an_application_already_decided_is_left_alone_with_a_warning(
    staff_client, django_capture_on_commit_callbacks, mailoutbox
):
    application = pending_application()
    staff_client.post(QUEUE, {"action": "approve", ACTION_CHECKBOX_NAME: [application.pk]})
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            QUEUE, {"action": "approve", ACTION_CHECKBOX_NAME: [application.pk]}, follow=True
        )

    assert (
        f"Nothing changed for {application.provider}: This application was already decided."
        in messages_of(response)
    )
    assert VerificationDecision.objects.count() == 1
    assert mailoutbox == []


def test_provider_page_shows_the_verification_history(staff_client, staff):
    application = pending_application()
    provider = application.provider
    staff_client.post(
        QUEUE,
        {
            "action": "reject",
            ACTION_CHECKBOX_NAME: [application.pk],
            "confirm_rejection": "yes",
            "reason": "Licence scan unreadable",
        },
    )
    apply_for_verification(provider.user)

    response = staff_client.get(
        reverse("admin:accounts_serviceproviderprofile_change", args=[provider.pk])
    )

    body = response.content.decode()
    assert "Verification applications (newest first)" in body
    assert "Verification decisions (newest first)" in body
    assert body.count("Licence scan unreadable") >= 2  # on the application and the decision
    assert provider.verification_applications.count() == 2
    assert response.context["inline_admin_formsets"][0].formset.queryset.count() == 2


def test_editing_a_provider_profile_still_saves_with_the_history_shown(staff_client):
    application = pending_application()
    provider = application.provider
    url = reverse("admin:accounts_serviceproviderprofile_change", args=[provider.pk])
    data = {
        "user": provider.user_id,
        "business_name": "Renamed Plumbing",
        "slug": provider.slug,
        "bio": "",
        "years_of_experience": "3",
    }
    for prefix, total in (("verification_applications", 1), ("verification_decisions", 0)):
        data |= {
            f"{prefix}-TOTAL_FORMS": total,
            f"{prefix}-INITIAL_FORMS": total,
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000,
        }
    data["verification_applications-0-id"] = application.pk

    response = staff_client.post(url, data)

    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.business_name == "Renamed Plumbing"
    assert provider.verification_status == VerificationStatus.PENDING  # not edited here


# --- Verifying needs an application, or a Superadmin's reason ----------------------------


def never_applied():
    return ProviderFactory(verification=VerificationStatus.PENDING).provider_profile


def verify_without_application(client, provider, **confirmation):
    return client.post(
        PROVIDERS,
        {"action": "verify_without_application", ACTION_CHECKBOX_NAME: [provider.pk]}
        | confirmation,
    )


def test_an_admin_cannot_verify_a_provider_who_never_applied(client, mailoutbox):
    provider = never_applied()
    client.force_login(AdminFactory())

    response = client.post(
        PROVIDERS, {"action": "verify", ACTION_CHECKBOX_NAME: [provider.pk]}, follow=True
    )

    assert response.status_code == 200
    assert (
        f"Nothing changed for {provider}: {provider} has no pending application. Verifying "
        "needs a pending application with its documents; only a Superadmin can verify without "
        "one, giving a reason."
    ) in messages_of(response)
    provider.refresh_from_db()
    assert provider.verification_status == VerificationStatus.PENDING
    assert provider.verification_decided_by is None
    assert not VerificationDecision.objects.exists()
    assert mailoutbox == []


def test_an_admin_cannot_approve_an_application_without_its_documents(client):
    application = pending_application()
    application.documents.filter(kind=DocumentKind.TRADE).delete()
    client.force_login(AdminFactory())

    response = client.post(
        QUEUE, {"action": "approve", ACTION_CHECKBOX_NAME: [application.pk]}, follow=True
    )

    assert (
        f"Nothing changed for {application.provider}: {application.provider}'s application "
        "lacks an identity or a trade document."
    ) in " ".join(messages_of(response))
    application.refresh_from_db()
    assert application.status == VerificationStatus.PENDING
    assert not ServiceProviderProfile.objects.get(pk=application.provider_id).is_verified


def test_an_admin_verifies_a_provider_whose_application_is_pending(client):
    application = pending_application()
    admin = AdminFactory()
    client.force_login(admin)

    response = client.post(
        PROVIDERS,
        {"action": "verify", ACTION_CHECKBOX_NAME: [application.provider_id]},
        follow=True,
    )

    assert f"Verified {application.provider}." in messages_of(response)
    application.refresh_from_db()
    assert (application.status, application.decided_by) == (VerificationStatus.VERIFIED, admin)
    decision = VerificationDecision.objects.get()
    assert (decision.application, decision.status) == (application, VerificationStatus.VERIFIED)


def action_names(client, changelist):
    choices = client.get(changelist).context["action_form"].fields["action"].choices
    return [name for name, _label in choices]


def test_only_superadmins_are_offered_to_verify_without_an_application(client):
    never_applied()
    client.force_login(AdminFactory())
    offered_to_admin = action_names(client, PROVIDERS)
    client.force_login(SuperadminFactory())

    assert "verify_without_application" not in offered_to_admin
    assert "verify_without_application" in action_names(client, PROVIDERS)


def test_an_admin_posting_the_superadmin_action_changes_nothing(client):
    provider = never_applied()
    client.force_login(AdminFactory())

    verify_without_application(client, provider, confirm_verification="yes", reason="Trust me.")

    provider.refresh_from_db()
    assert provider.verification_status == VerificationStatus.PENDING
    assert not VerificationDecision.objects.exists()


def test_a_superadmin_verifies_without_an_application_with_a_recorded_reason(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    provider = never_applied()
    superadmin = SuperadminFactory()
    client.force_login(superadmin)
    reason = "Checked their licence with the state board by phone; documents follow by post."

    confirmation = verify_without_application(client, provider)
    with django_capture_on_commit_callbacks(execute=True):
        decided = verify_without_application(
            client, provider, confirm_verification="yes", reason=f"  {reason} "
        )

    assert confirmation.status_code == 200
    assert "Verify with this reason" in confirmation.content.decode()
    assert str(provider) in confirmation.content.decode()
    assert decided.status_code == 302
    provider.refresh_from_db()
    assert provider.verification_status == VerificationStatus.VERIFIED
    assert provider.verification_decided_by == superadmin
    decision = VerificationDecision.objects.get(provider=provider)
    assert (decision.status, decision.decided_by, decision.application, decision.reason) == (
        VerificationStatus.VERIFIED,
        superadmin,
        None,
        reason,
    )
    assert [m.subject for m in mailoutbox] == [
        "[Marketplace] You are verified: customers can book you"
    ]
    history = client.get(
        reverse("admin:accounts_serviceproviderprofile_change", args=[provider.pk])
    )
    assert reason in history.content.decode()


def test_a_superadmin_without_a_reason_is_refused(client, mailoutbox):
    provider = never_applied()
    client.force_login(SuperadminFactory())

    blank = verify_without_application(client, provider, confirm_verification="yes", reason=" ")
    plain = client.post(
        PROVIDERS, {"action": "verify", ACTION_CHECKBOX_NAME: [provider.pk]}, follow=True
    )

    assert blank.status_code == 200
    assert "This field is required." in blank.content.decode()
    assert (
        f"Nothing changed for {provider}: {provider} has no pending application. Give the "
        "reason for verifying them without an application."
    ) in messages_of(plain)
    provider.refresh_from_db()
    assert provider.verification_status == VerificationStatus.PENDING
    assert not VerificationDecision.objects.exists()
    assert mailoutbox == []


# --- Listing visibility through search ---------------------------------------------------


def test_search_follows_approval_and_revocation_at_once(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    application = pending_application()
    ServiceFactory(provider=application.provider, title="Boiler service")
    admin_client = Client()
    admin_client.force_login(AdminFactory())
    assert "Boiler service" not in search_titles(client)

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(QUEUE, {"action": "approve", ACTION_CHECKBOX_NAME: [application.pk]})
    assert "Boiler service" in search_titles(client)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            PROVIDERS,
            {
                "action": "reject",
                ACTION_CHECKBOX_NAME: [application.provider_id],
                "confirm_rejection": "yes",
                "reason": "Licence withdrawn by the trade body.",
            },
        )
    assert response.status_code == 302
    assert "Boiler service" not in search_titles(client)
    revocation = VerificationDecision.objects.get(status=VerificationStatus.REJECTED)
    assert revocation.application is None
    assert revocation.reason == "Licence withdrawn by the trade body."
    assert mailoutbox[-1].subject == "[Marketplace] Your verification was not approved"


def test_verifying_an_already_verified_provider_changes_nothing(client, mailoutbox):
    provider = ProviderFactory(verification=VerificationStatus.VERIFIED).provider_profile
    client.force_login(AdminFactory())

    response = client.post(
        PROVIDERS, {"action": "verify", ACTION_CHECKBOX_NAME: [provider.pk]}, follow=True
    )

    assert f"Nothing changed for {provider}: {provider} is already verified." in messages_of(
        response
    )
    assert not VerificationDecision.objects.exists()


def test_queue_query_count_does_not_grow_with_applications(client, django_assert_num_queries):
    client.force_login(AdminFactory())
    pending_application()
    client.get(QUEUE)  # warm the session and content types
    with CaptureQueriesContext(connection) as few:
        client.get(QUEUE)
    for _ in range(4):
        pending_application()

    with django_assert_num_queries(len(few.captured_queries)):
        client.get(QUEUE)
