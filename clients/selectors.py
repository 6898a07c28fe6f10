"""Reads of clients: the customers a provider has served or has an upcoming job with, each
with their figures, in a constant number of queries per page.

Contact details (email, phone) follow the booking page's rule (templates/booking/detail.html,
booking.schemas.BookingCustomerOut): a booking's provider sees its customer's contact details
on every booking of theirs, whatever its status. Every client has such a booking (that is
what makes them a client), so a client's page and the API show them; a customer whose only
bookings were declined, cancelled or expired is not a client and has no page here.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from accounts.models import ServiceProviderProfile
from booking.models import ACTIVE_STATUSES, Booking, BookingStatus
from reviews.models import Review

from .models import ClientNote

S = BookingStatus
# What makes a customer a provider's client: a job done, or one asked for or coming.
CLIENT_STATUSES = (S.COMPLETED, *ACTIVE_STATUSES)


@dataclass
class Client:
    customer: object
    jobs_done: int
    last_job_at: object
    next_job_at: object
    city: str = ""
    spent: dict = field(default_factory=dict)  # currency -> Decimal
    review_count: int = 0
    average_rating: float | None = None

    @property
    def name(self) -> str:
        return self.customer.get_full_name() or self.customer.email

    def as_dict(self) -> dict:
        return {
            "customer_id": self.customer.pk,
            "name": self.name,
            "email": self.customer.email,
            "phone": self.customer.phone,
            "city": self.city,
            "jobs_done": self.jobs_done,
            "last_job_at": self.last_job_at,
            "next_job_at": self.next_job_at,
            "total_spent": {code: str(amount) for code, amount in sorted(self.spent.items())},
            "review_count": self.review_count,
            "average_rating": None
            if self.average_rating is None
            else round(float(self.average_rating), 2),
        }


def client_rows(provider: ServiceProviderProfile, *, now=None) -> QuerySet:
    """One row per client (customer_id and figures), next job first, then the latest served."""
    now = now or timezone.now()
    return (
        Booking.objects.filter(provider=provider, status__in=CLIENT_STATUSES)
        .values("customer_id")
        .annotate(
            jobs_done=Count("id", filter=Q(status=S.COMPLETED)),
            last_job_at=Max("starts_at", filter=Q(status=S.COMPLETED)),
            next_job_at=Min("starts_at", filter=Q(status__in=ACTIVE_STATUSES, starts_at__gte=now)),
            last_seen=Max("starts_at"),
        )
        .order_by("next_job_at", "-last_seen", "customer_id")
    )


def clients_for(provider: ServiceProviderProfile, rows) -> list[Client]:
    """The Client of each row of `client_rows` (a page of them): three queries for the page."""
    rows = list(rows)
    ids = [row["customer_id"] for row in rows]
    bookings = Booking.objects.filter(provider=provider, customer_id__in=ids)
    # The city of each client's latest booking (where they have the provider work), read with
    # the users: a subquery works on PostgreSQL and SQLite alike.
    latest_city = (
        Booking.objects.filter(
            provider=provider, customer_id=OuterRef("pk"), status__in=CLIENT_STATUSES
        )
        .order_by("-starts_at")
        .values("service_city__name")[:1]
    )
    users = {
        user.pk: user
        for user in get_user_model()
        .objects.filter(pk__in=ids)
        .annotate(latest_city=Subquery(latest_city))
    }
    spent = {}
    for customer_id, currency, total in (
        bookings.filter(status=S.COMPLETED)
        .values("customer_id", "currency")
        .annotate(total=Sum("estimated_total"))
        .values_list("customer_id", "currency", "total")
        .order_by()
    ):
        spent.setdefault(customer_id, {})[currency] = total or Decimal("0")
    reviews = {
        row["customer_id"]: row
        for row in Review.objects.filter(provider=provider, customer_id__in=ids, is_hidden=False)
        .values("customer_id")
        .annotate(count=Count("id"), average=Avg("rating"))
        .order_by()
    }
    return [
        Client(
            customer=users[row["customer_id"]],
            jobs_done=row["jobs_done"],
            last_job_at=row["last_job_at"],
            next_job_at=row["next_job_at"],
            city=users[row["customer_id"]].latest_city or "",
            spent=spent.get(row["customer_id"], {}),
            review_count=reviews.get(row["customer_id"], {}).get("count", 0),
            average_rating=reviews.get(row["customer_id"], {}).get("average"),
        )
        for row in rows
    ]


def client_of(provider: ServiceProviderProfile, customer_id: int, *, now=None) -> Client | None:
    """One client of the provider's, or None if that customer is not theirs."""
    rows = list(client_rows(provider, now=now).filter(customer_id=customer_id))
    return clients_for(provider, rows)[0] if rows else None


def client_history(provider: ServiceProviderProfile, customer_id: int) -> QuerySet:
    """Every booking of the customer's with the provider, latest first."""
    return (
        Booking.objects.filter(provider=provider, customer_id=customer_id)
        .select_related("service", "service_city")
        .order_by("-starts_at")
    )


def client_reviews(provider: ServiceProviderProfile, customer_id: int) -> QuerySet:
    return (
        Review.objects.filter(provider=provider, customer_id=customer_id, is_hidden=False)
        .select_related("service")
        .order_by("-created_at")
    )


def note_for(provider: ServiceProviderProfile, customer_id: int) -> str:
    note = ClientNote.objects.filter(provider=provider, customer_id=customer_id).first()
    return note.text if note else ""
