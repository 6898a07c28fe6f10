"""Providers apply for verification with documents kept privately; admins decide (services)."""

import datetime

import pytest
from django.core.checks import run_checks
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import (
    DocumentKind,
    VerificationApplication,
    VerificationDecision,
    VerificationDocument,
    VerificationStatus,
)

from .factories import (
    PDF_BYTES,
    AdminFactory,
    CustomerFactory,
    ProviderFactory,
    SuperadminFactory,
    apply_for_verification,
    image_bytes,
    jpeg_upload,
    pdf_upload,
    png_upload,
)

pytestmark = pytest.mark.django_db

VERIFICATION = reverse("accounts:verification")


def stored_files(root):
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def application_data(**overrides):
    data = {
        "identity_documents": [png_upload("passport.png")],
        "trade_documents": [pdf_upload("gas-safe-certificate.pdf"), jpeg_upload("diploma.jpg")],
        "statement": "Gas engineer since 2014, certificate attached.",
        "licence_number": "GS-55120",
        "insurance_expires_on": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
    }
    return data | overrides


@pytest.fixture
def pending_provider():
    return ProviderFactory(verification=VerificationStatus.PENDING)


# --- Applying --------------------------------------------------------------------------


def test_provider_applies_and_sees_the_application_waiting(
    client, pending_provider, private_media_root, settings
):
    client.force_login(pending_provider)

    response = client.post(VERIFICATION, application_data(), follow=True)

    body = response.content.decode()
    assert "Your application is sent." in body
    assert "is waiting for an admin's decision" in body
    assert "Send my application" not in body  # no second application while one is pending
    application = VerificationApplication.objects.get(provider__user=pending_provider)
    assert application.status == VerificationStatus.PENDING
    assert application.licence_number == "GS-55120"
    documents = {d.original_name: d for d in application.documents.all()}
    assert {name: d.kind for name, d in documents.items()} == {
        "passport.png": DocumentKind.IDENTITY,
        "gas-safe-certificate.pdf": DocumentKind.TRADE,
        "diploma.jpg": DocumentKind.TRADE,
    }
    assert documents["diploma.jpg"].content_type == "image/jpeg"
    for document in documents.values():
        assert document.get_absolute_url() in body
    # Stored privately, under random names that say nothing about the provider's files.
    files = stored_files(private_media_root)
    assert len(files) == 3
    assert not any("passport" in f.name or "certificate" in f.name for f in files)
    assert {f.suffix for f in files} == {".png", ".pdf", ".jpg"}
    assert stored_files(settings.MEDIA_ROOT) == []


@pytest.mark.parametrize(
    ("field", "upload", "error"),
    [
        (
            "trade_documents",
            SimpleUploadedFile("licence.pdf", b"Just some text, honest.\n", "application/pdf"),
            "licence.pdf is not a PDF, JPEG or PNG file.",
        ),
        (
            "trade_documents",
            SimpleUploadedFile("licence.pdf", image_bytes("PNG"), "application/pdf"),
            "licence.pdf is really a PNG image, not what its name says. "
            "Rename it to end in .png and send it again.",
        ),
        (
            "identity_documents",
            SimpleUploadedFile("passport.pdf", b"", "application/pdf"),
            "passport.pdf is empty.",
        ),
        (
            "identity_documents",
            SimpleUploadedFile("passport.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, "image/png"),
            "passport.png looks like a PNG image but cannot be read.",
        ),
        (
            "identity_documents",
            SimpleUploadedFile("setup.exe", b"MZ\x90\x00" + b"\x00" * 64, "image/png"),
            "setup.exe is not a PDF, JPEG or PNG file.",
        ),
    ],
    ids=["text-named-pdf", "png-named-pdf", "empty", "broken-png", "executable"],
)
def test_a_bad_document_is_refused_with_a_clear_error_and_nothing_is_stored(
    client, pending_provider, private_media_root, field, upload, error
):
    client.force_login(pending_provider)

    response = client.post(VERIFICATION, application_data(**{field: [upload]}))

    assert response.status_code == 200
    body = response.content.decode()
    assert error.replace("'", "&#x27;") in body
    assert "Gas engineer since 2014" in body  # what was typed is kept
    assert not VerificationApplication.objects.exists()
    assert not VerificationDocument.objects.exists()
    assert stored_files(private_media_root) == []


def test_a_document_over_10_mb_is_refused_and_nothing_is_stored(
    client, pending_provider, private_media_root
):
    client.force_login(pending_provider)
    big = pdf_upload("scan.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024))

    response = client.post(VERIFICATION, application_data(trade_documents=[pdf_upload(), big]))

    assert "scan.pdf is 10.1 MB; each document can be at most 10 MB." in response.content.decode()
    assert not VerificationApplication.objects.exists()
    assert stored_files(private_media_root) == []


def test_missing_documents_and_expired_insurance_are_refused(client, pending_provider):
    client.force_login(pending_provider)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    response = client.post(
        VERIFICATION,
        application_data(identity_documents=[], insurance_expires_on=yesterday.isoformat()),
    )

    body = response.content.decode()
    assert "This field is required." in body
    assert "Your insurance has expired: renew it before applying." in body
    assert not VerificationApplication.objects.exists()


def test_too_many_files_of_one_kind_are_refused(client, pending_provider, private_media_root):
    client.force_login(pending_provider)

    response = client.post(
        VERIFICATION, application_data(trade_documents=[pdf_upload(f"{n}.pdf") for n in range(6)])
    )

    assert "Send at most 5 files." in response.content.decode()
    assert stored_files(private_media_root) == []


def test_files_already_written_are_removed_when_saving_the_application_fails(
    pending_provider, private_media_root, monkeypatch
):
    saves = []
    original_save = VerificationDocument.save

    def failing_second_save(document, *args, **kwargs):
        saves.append(document)
        if len(saves) == 2:
            raise OSError("disk full")
        original_save(document, *args, **kwargs)

    monkeypatch.setattr(VerificationDocument, "save", failing_second_save)

    with pytest.raises(OSError, match="disk full"):
        apply_for_verification(pending_provider)

    assert not VerificationApplication.objects.exists()
    assert stored_files(private_media_root) == []


def test_a_pending_application_cannot_be_duplicated(client, pending_provider):
    apply_for_verification(pending_provider)
    client.force_login(pending_provider)

    response = client.post(VERIFICATION, application_data(), follow=True)

    assert "Your application is waiting for an admin" in response.content.decode()
    assert VerificationApplication.objects.filter(provider__user=pending_provider).count() == 1


def test_a_rejected_provider_applies_again_and_keeps_the_history(client, pending_provider):
    first = apply_for_verification(pending_provider)
    services.decide_verification(
        provider=first.provider,
        status=VerificationStatus.REJECTED,
        by=AdminFactory(),
        reason="The ID photo is blurry.",
    )
    client.force_login(pending_provider)
    page = client.get(VERIFICATION).content.decode()
    assert (
        "Your verification was rejected. Reason: The ID photo is blurry.<br>You can apply again"
        in page
    )
    assert "Send my application" in page

    response = client.post(VERIFICATION, application_data(), follow=True)

    body = response.content.decode()
    assert "Reason: The ID photo is blurry." in body
    assert "Waiting for a decision" in body
    assert list(
        VerificationApplication.objects.filter(provider__user=pending_provider).values_list(
            "status", flat=True
        )
    ) == [VerificationStatus.PENDING, VerificationStatus.REJECTED]


def test_a_verified_provider_has_nothing_to_apply_for(client):
    provider = ProviderFactory(verification=VerificationStatus.VERIFIED)
    client.force_login(provider)

    page = client.get(VERIFICATION).content.decode()
    refused = client.post(VERIFICATION, application_data(), follow=True).content.decode()

    assert "You are verified" in page and "Send my application" not in page
    assert "You are verified: there is nothing to apply for." in refused
    assert not VerificationApplication.objects.exists()


def test_a_provider_completes_the_business_profile_before_applying(client):
    provider = ProviderFactory(verification=None)  # as signed up: no business name yet
    client.force_login(provider)

    page = client.get(VERIFICATION).content.decode()

    assert "Complete your business profile before applying." in page
    assert "Send my application" not in page


def test_customers_cannot_apply(client):
    client.force_login(CustomerFactory())

    assert client.get(VERIFICATION).status_code == 403


def test_dashboard_and_banner_lead_to_the_verification_page(client, pending_provider):
    client.force_login(pending_provider)

    body = client.get(reverse("accounts:dashboard")).content.decode()

    assert f'<a href="{VERIFICATION}">Apply for verification or follow your application</a>' in body
    assert f'<a href="{VERIFICATION}">Verification</a>' in body


# --- Downloading documents ---------------------------------------------------------------


@pytest.fixture
def document(pending_provider):
    application = apply_for_verification(
        pending_provider, trade_documents=[pdf_upload("trade licence.pdf")]
    )
    return application.documents.get(kind=DocumentKind.TRADE)


@pytest.mark.parametrize("factory", [ProviderFactory, AdminFactory, SuperadminFactory])
def test_owner_and_staff_download_a_document_as_an_attachment(client, document, factory):
    user = document.application.provider.user if factory is ProviderFactory else factory()
    client.force_login(user)

    response = client.get(document.get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="trade licence.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF_BYTES


@pytest.mark.parametrize("factory", [ProviderFactory, CustomerFactory])
def test_other_users_get_a_404_for_a_document(client, document, factory):
    client.force_login(factory())

    assert client.get(document.get_absolute_url()).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in_for_a_document(client, document):
    response = client.get(document.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_documents_have_no_public_url(document, settings):
    with pytest.raises(ValueError, match="no public URL"):
        document.file.url  # noqa: B018
    assert document.file.path.startswith(f"{settings.PRIVATE_MEDIA_ROOT}/verification/")


def test_private_documents_inside_media_root_fail_the_system_checks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media" / "private"

    errors = run_checks(include_deployment_checks=False)

    assert "accounts.E001" in [error.id for error in errors]


def test_deleting_a_provider_deletes_their_document_files(
    pending_provider, private_media_root, django_capture_on_commit_callbacks
):
    apply_for_verification(pending_provider)
    assert len(stored_files(private_media_root)) == 2

    with django_capture_on_commit_callbacks(execute=True):
        pending_provider.delete()

    assert stored_files(private_media_root) == []


# --- Decisions (the service; the admin actions call it) ----------------------------------


def test_a_decision_settles_the_pending_application_and_is_recorded(
    pending_provider, django_capture_on_commit_callbacks, mailoutbox
):
    application = apply_for_verification(pending_provider)
    admin = AdminFactory()

    with django_capture_on_commit_callbacks(execute=True):
        services.decide_verification(
            provider=application.provider,
            status=VerificationStatus.REJECTED,
            by=admin,
            reason="  Licence number does not match.  ",
        )

    application.refresh_from_db()
    assert (application.status, application.decided_by, application.reason) == (
        VerificationStatus.REJECTED,
        admin,
        "Licence number does not match.",
    )
    assert application.decided_at is not None
    decision = VerificationDecision.objects.get()
    assert (decision.application, decision.decided_by, decision.status) == (
        application,
        admin,
        VerificationStatus.REJECTED,
    )
    provider = application.provider
    provider.refresh_from_db()
    assert provider.verification_status == VerificationStatus.REJECTED
    assert provider.verification_decided_at == application.decided_at
    assert "Reason: Licence number does not match." in mailoutbox[0].body
    assert VERIFICATION in mailoutbox[0].body


def test_revoking_a_verified_provider_is_recorded_without_an_application():
    provider = ProviderFactory(verification=VerificationStatus.VERIFIED).provider_profile
    admin = AdminFactory()

    services.decide_verification(
        provider=provider, status=VerificationStatus.REJECTED, by=admin, reason="Complaints."
    )

    decision = VerificationDecision.objects.get(provider=provider)
    assert (decision.application, decision.reason, decision.decided_by) == (
        None,
        "Complaints.",
        admin,
    )


def test_an_application_already_decided_is_not_decided_again(pending_provider):
    application = apply_for_verification(pending_provider)
    services.decide_verification(
        provider=application.provider, status=VerificationStatus.VERIFIED, by=AdminFactory()
    )

    with pytest.raises(services.AccountError, match="already decided"):
        services.decide_verification(
            provider=application.provider,
            status=VerificationStatus.REJECTED,
            by=AdminFactory(),
            reason="Changed my mind",
            application=application,
        )
    assert VerificationDecision.objects.count() == 1


def test_verifying_needs_a_pending_application_with_its_documents(pending_provider):
    provider = pending_provider.provider_profile

    with pytest.raises(services.AccountError, match="has no pending application"):
        services.decide_verification(
            provider=provider, status=VerificationStatus.VERIFIED, by=AdminFactory()
        )
    application = apply_for_verification(pending_provider)
    application.documents.filter(kind=DocumentKind.IDENTITY).delete()
    with pytest.raises(services.AccountError, match="lacks an identity or a trade document"):
        services.decide_verification(
            provider=provider,
            status=VerificationStatus.VERIFIED,
            by=AdminFactory(),
            reason="An admin's reason is not enough.",
        )

    provider.refresh_from_db()
    assert provider.verification_status == VerificationStatus.PENDING
    assert not VerificationDecision.objects.exists()


def test_a_revoked_provider_is_verified_again_only_through_a_new_application():
    provider = ProviderFactory(verification=VerificationStatus.VERIFIED).provider_profile
    admin = AdminFactory()
    services.decide_verification(
        provider=provider, status=VerificationStatus.REJECTED, by=admin, reason="Complaints."
    )

    with pytest.raises(services.AccountError, match="has no pending application"):
        services.decide_verification(
            provider=provider, status=VerificationStatus.VERIFIED, by=admin
        )
    application = apply_for_verification(provider.user)
    services.decide_verification(provider=provider, status=VerificationStatus.VERIFIED, by=admin)

    provider.refresh_from_db()
    assert provider.is_verified
    assert VerificationDecision.objects.filter(provider=provider).first().application == application


def test_a_superadmin_verifies_without_an_application_only_with_a_reason(pending_provider):
    provider = pending_provider.provider_profile
    superadmin = SuperadminFactory()

    with pytest.raises(services.AccountError, match="Give the reason"):
        services.decide_verification(
            provider=provider, status=VerificationStatus.VERIFIED, by=superadmin, reason="  "
        )
    services.decide_verification(
        provider=provider,
        status=VerificationStatus.VERIFIED,
        by=superadmin,
        reason=" Known to us: verified in person at the trade fair. ",
    )

    provider.refresh_from_db()
    assert provider.verification_status == VerificationStatus.VERIFIED
    decision = VerificationDecision.objects.get()
    assert (decision.application, decision.decided_by, decision.reason) == (
        None,
        superadmin,
        "Known to us: verified in person at the trade fair.",
    )


def test_only_staff_decide_on_verification(pending_provider):
    with pytest.raises(services.AccountError, match="Only admins"):
        services.decide_verification(
            provider=pending_provider.provider_profile,
            status=VerificationStatus.VERIFIED,
            by=ProviderFactory(),
        )
    pending_provider.provider_profile.refresh_from_db()
    assert pending_provider.provider_profile.verification_status == VerificationStatus.PENDING


def test_verification_page_query_count_does_not_grow_with_history(
    client, pending_provider, django_assert_num_queries
):
    admin = AdminFactory()
    client.force_login(pending_provider)

    def reject_and_reapply():
        application = apply_for_verification(pending_provider)
        services.decide_verification(
            provider=application.provider,
            status=VerificationStatus.REJECTED,
            by=admin,
            reason="Try again.",
        )

    reject_and_reapply()
    client.get(VERIFICATION)
    with CaptureQueriesContext(connection) as few:
        client.get(VERIFICATION)
    for _ in range(3):
        reject_and_reapply()

    with django_assert_num_queries(len(few.captured_queries)):
        client.get(VERIFICATION)
