"""The demo's pending providers have applied, so the admin home's queue shows them."""

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from accounts import services
from accounts.documents import inspect_document
from accounts.models import (
    DocumentKind,
    ServiceProviderProfile,
    User,
    VerificationApplication,
    VerificationStatus,
)
from demo.seed import PENDING_PROVIDERS
from demo.verification import sample_identity_png, sample_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def waiting_link(admin_home: str) -> str:
    """Where the admin home's "Applications waiting for verification" leads."""
    match = re.search(r'<a href="([^"]+)">Applications waiting for verification</a>', admin_home)
    assert match, "no link to the applications waiting on the admin home"
    return unescape(match.group(1))


def test_the_demo_pending_providers_are_in_the_queue_the_admin_home_links_to(client):
    call_command("seed_demo", verbosity=0)
    client.force_login(User.objects.get(email="admin@example.com"))
    pending = ServiceProviderProfile.objects.filter(verification_status=VerificationStatus.PENDING)

    home = client.get(reverse("admin:index")).content.decode()
    queue = client.get(waiting_link(home))

    assert len(pending) == PENDING_PROVIDERS
    assert queue.status_code == 200
    assert sorted(str(a.provider) for a in queue.context["cl"].result_list) == sorted(
        str(provider) for provider in pending
    )
    body = queue.content.decode()
    for provider in pending:
        assert str(provider) in body
    assert queue.context["cl"].result_count == PENDING_PROVIDERS


def test_each_demo_application_holds_documents_that_pass_the_upload_checks():
    call_command("seed_demo", verbosity=0)
    applications = VerificationApplication.objects.prefetch_related("documents")

    assert applications.count() == PENDING_PROVIDERS
    for application in applications:
        assert application.is_pending and application.statement
        assert {d.kind for d in application.documents.all()} == set(DocumentKind)
        for document in application.documents.all():
            with document.file.open("rb") as stored:
                upload = SimpleUploadedFile(document.original_name, stored.read())
            assert inspect_document(upload).content_type == document.content_type


def test_seeding_again_adds_no_application_and_keeps_an_admin_decision():
    call_command("seed_demo", verbosity=0)
    decided = VerificationApplication.objects.order_by("pk").first()
    services.decide_verification(
        provider=decided.provider,
        status=VerificationStatus.VERIFIED,
        by=User.objects.get(email="admin@example.com"),
        application=decided,
    )

    call_command("seed_demo", verbosity=0)

    assert VerificationApplication.objects.count() == PENDING_PROVIDERS
    assert ServiceProviderProfile.objects.get(pk=decided.provider_id).is_verified
    assert (
        ServiceProviderProfile.objects.filter(
            verification_status=VerificationStatus.PENDING
        ).count()
        == PENDING_PROVIDERS - 1
    )


def test_sample_documents_are_a_real_pdf_and_png():
    pdf = sample_pdf(["Trade licence", "Ortiz (Plumbing) \\ Co"])
    png = sample_identity_png("Ana Ortiz")

    assert inspect_document(SimpleUploadedFile("licence.pdf", pdf)).label == "PDF"
    assert inspect_document(SimpleUploadedFile("id.png", png)).label == "PNG image"
    xref = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    assert pdf[xref:].startswith(b"xref\n")
