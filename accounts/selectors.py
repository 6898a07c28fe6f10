"""Reads on accounts."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from .models import (
    ServiceProviderProfile,
    User,
    VerificationApplication,
    VerificationDocument,
    VerificationStatus,
)


def get_account(*, user_id) -> User:
    """The user with what their own profile page shows, the business profile included."""
    return User.objects.select_related("provider_profile").get(pk=user_id)


def pending_application(provider: ServiceProviderProfile) -> VerificationApplication | None:
    return provider.verification_applications.filter(status=VerificationStatus.PENDING).first()


def application_blocker(provider: ServiceProviderProfile) -> str:
    """Why the provider cannot apply for verification now; empty when they can."""
    if provider.verification_status == VerificationStatus.VERIFIED:
        return "You are verified: there is nothing to apply for."
    if pending_application(provider) is not None:
        return (
            "Your application is waiting for an admin's decision; "
            "you can apply again if it is rejected."
        )
    if not provider.is_complete:
        return "Complete your business profile before applying."
    return ""


@dataclass(frozen=True)
class VerificationOverview:
    applications: list[VerificationApplication]  # newest first, with their documents
    blocker: str

    @property
    def can_apply(self) -> bool:
        return not self.blocker

    @property
    def pending(self) -> VerificationApplication | None:
        return next((a for a in self.applications if a.is_pending), None)


def verification_overview(provider: ServiceProviderProfile) -> VerificationOverview:
    """A provider's applications with their documents and decisions, and whether they may apply."""
    applications = list(
        provider.verification_applications.prefetch_related(
            Prefetch("documents", queryset=VerificationDocument.objects.order_by("kind", "pk"))
        )
    )
    return VerificationOverview(applications=applications, blocker=application_blocker(provider))


def downloadable_documents(user: User) -> QuerySet[VerificationDocument]:
    """The verification documents `user` may download: their own, or all of them for admins."""
    documents = VerificationDocument.objects.select_related("application__provider")
    if user.is_staff and user.has_perm("accounts.view_verificationdocument"):
        return documents
    return documents.filter(application__provider__user=user)
