"""The marketplace in figures, for the admin home page."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Avg, Count, Q
from django.utils import timezone

from accounts.models import (
    Role,
    ServiceProviderProfile,
    User,
    VerificationApplication,
    VerificationStatus,
)

FIGURES_KEY = "admin:home-figures:v1"
FIGURES_TIMEOUT = 60  # a minute: the admin home is opened often, the figures move slowly
WEEK = timedelta(days=7)


@dataclass(frozen=True)
class AdminHomeFigures:
    computed_at: object
    new_users: int
    new_customers: int
    new_providers: int
    pending_verifications: int
    average_provider_rating: Decimal | None
    rated_providers: int
    # {status label: count} of bookings made in the last 7 days.
    bookings_by_status: dict[str, int]


def admin_home_figures() -> AdminHomeFigures:
    """Figures for the admin home, at most a minute old."""
    figures = cache.get(FIGURES_KEY)
    if figures is None:
        figures = _compute()
        cache.set(FIGURES_KEY, figures, FIGURES_TIMEOUT)
    return figures


def _compute() -> AdminHomeFigures:
    now = timezone.now()
    users = User.objects.filter(date_joined__gte=now - WEEK).aggregate(
        total=Count("pk"),
        customers=Count("pk", filter=Q(role=Role.CUSTOMER)),
        providers=Count("pk", filter=Q(role=Role.PROVIDER)),
    )
    ratings = ServiceProviderProfile.objects.filter(review_count__gt=0).aggregate(
        average=Avg("rating_average"), rated=Count("pk")
    )
    average = ratings["average"]
    return AdminHomeFigures(
        computed_at=now,
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
        bookings_by_status=_bookings_by_status_this_week(now),
    )


def _bookings_by_status_this_week(now) -> dict[str, int]:
    from booking.selectors import bookings_by_status_since

    return bookings_by_status_since(now - WEEK)
