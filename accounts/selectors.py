"""Reads on accounts."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Prefetch, Q, QuerySet

from .models import (
    Role,
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


@dataclass(frozen=True)
class AccountFigures:
    new_users: int
    new_customers: int
    new_providers: int
    pending_verifications: int
    average_provider_rating: Decimal | None
    rated_providers: int


def account_figures(*, joined_since) -> AccountFigures:
    """Sign-ups since `joined_since`, the verification queue and providers' mean rating."""
    users = User.objects.filter(date_joined__gte=joined_since).aggregate(
        total=Count("pk"),
        customers=Count("pk", filter=Q(role=Role.CUSTOMER)),
        providers=Count("pk", filter=Q(role=Role.PROVIDER)),
    )
    ratings = ServiceProviderProfile.objects.filter(review_count__gt=0).aggregate(
        average=Avg("rating_average"), rated=Count("pk")
    )
    average = ratings["average"]
    return AccountFigures(
        new_users=users["total"],
        new_customers=users["customers"],
        new_providers=users["providers"],
        pending_verifications=VerificationApplication.objects.filter(
            status=VerificationStatus.PENDING
        ).count(),
        average_provider_rating=None
        if average is None
        else Decimal(average).quantize(Decimal("0.01")),
        rated_providers=ratings["rated"],
    )
