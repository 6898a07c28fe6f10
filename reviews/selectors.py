"""Reads of reviews: who may write or change a booking's review now, the public lists of a
service or provider, and their rating summaries."""

from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db import connection, models, transaction
from django.db.models import Count, Prefetch, Q, QuerySet, Sum, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import ServiceProviderProfile
from booking.models import Booking, BookingStatus
from catalog.models import Service

from . import conf
from .errors import AlreadyReviewed, NotAllowed, NotNow, ReviewError
from .models import (
    STAR_FIELDS,
    SUM_FIELDS,
    ProviderRatingSummary,
    RatingSummary,
    Review,
    ServiceRatingSummary,
    average,
)

# --- Who may write or change a booking's review ------------------------------------------
#
# The one statement of the rule: submit_review and edit_review raise what these return, and
# the booking page's invitation and the review form offer only what they allow.


def booking_review(booking: Booking) -> Review | None:
    """The booking's review with its reply, or None: one query, then kept on the booking
    (as `booking.review`) so the rules below and the page showing it share it."""
    prefetch_related_objects(
        [booking], Prefetch("review", queryset=Review.objects.select_related("reply"))
    )
    return getattr(booking, "review", None)


def review_blocker(booking: Booking, user) -> ReviewError | None:
    """Why `user` cannot write the review of `booking` now, as the error submit_review
    raises; None when they can. Reads the booking's review only if nothing else stops them."""
    if user is None or booking.customer_id != user.pk:
        return NotAllowed("Only the customer who booked this job can review it.")
    if booking.status != BookingStatus.COMPLETED:
        status = BookingStatus(booking.status).label.lower()
        return NotNow(f"This booking is {status}; you can review it once the job is completed.")
    if booking.status_changed_at < booking.starts_at:
        # Only work that happened is reviewed: a job marked done before it began is not.
        return NotNow(
            "This job was marked completed before its start time, so it can't be reviewed."
        )
    if booking_review(booking) is not None:
        return AlreadyReviewed(
            "You have already reviewed this booking; a booking gets one review. "
            "You can change yours from the booking page while the edit window is open."
        )
    return None


def edit_blocker(review: Review, user, *, now=None) -> ReviewError | None:
    """Why `user` cannot change `review` now, as the error edit_review raises; None when
    they can: its customer, while it is shown and within the edit window."""
    if user is None or review.customer_id != user.pk:
        return NotAllowed("Only the customer who wrote this review can change it.")
    if review.is_hidden:
        return NotNow("This review was hidden by the marketplace team; it can no longer change.")
    if (now or timezone.now()) >= review.editable_until:
        return NotNow(
            f"Reviews can be changed for {conf.EDIT_WINDOW_DAYS} days after they are written; "
            f"this one was written on {date_format(timezone.localtime(review.created_at))}."
        )
    return None


@dataclass(frozen=True)
class ReviewOpening:
    """What someone may do about a booking's review now, for the pages that offer it."""

    review: Review | None  # the booking's review, read only when they are its customer
    blocker: ReviewError | None  # why they may neither write it nor change it; None if they may

    @property
    def can_write(self) -> bool:
        return self.review is None and self.blocker is None

    @property
    def can_edit(self) -> bool:
        return self.review is not None and self.blocker is None


def review_opening(booking: Booking, user, *, now=None) -> ReviewOpening:
    """Whether `user` may write the review of `booking` now, or else change the one already
    written; at most one query (the review, with its reply)."""
    blocker = review_blocker(booking, user)
    if not isinstance(blocker, AlreadyReviewed):
        return ReviewOpening(review=None, blocker=blocker)
    review = booking_review(booking)
    return ReviewOpening(review=review, blocker=edit_blocker(review, user, now=now))


# --- The public lists --------------------------------------------------------------------


class ReviewSort(models.TextChoices):
    NEWEST = "newest", "Newest"
    HIGHEST = "highest", "Highest rated"
    LOWEST = "lowest", "Lowest rated"


# Ties are broken newest first, then by id, so paging never repeats or skips a review.
ORDER_BY = {
    ReviewSort.NEWEST: ["-created_at", "-id"],
    ReviewSort.HIGHEST: ["-rating", "-created_at", "-id"],
    ReviewSort.LOWEST: ["rating", "-created_at", "-id"],
}


def visible_reviews(*, service=None, provider=None, sort=ReviewSort.NEWEST) -> QuerySet[Review]:
    """The reviews the public sees of one service or one provider, with what a review shows."""
    reviews = Review.objects.filter(is_hidden=False)
    if service is not None:
        reviews = reviews.filter(service=service)
    if provider is not None:
        reviews = reviews.filter(provider=provider)
    return reviews.select_related("customer", "reply", "service").order_by(*ORDER_BY[sort])


def rating_summary(*, service=None, provider=None) -> RatingSummary:
    """The stored figures of a service or provider (all zeros before its first review).

    Free when the service or provider was read with select_related("rating_summary").
    """
    if service is not None:
        try:
            return service.rating_summary
        except ServiceRatingSummary.DoesNotExist:
            return ServiceRatingSummary(service_id=service.pk)
    try:
        return provider.rating_summary
    except ProviderRatingSummary.DoesNotExist:
        return ProviderRatingSummary(provider_id=provider.pk)


class CountedPaginator(Paginator):
    """A paginator given its count: the stored review count, kept exact by every write, so
    a page of reviews costs one query and a service without reviews none."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count


@dataclass
class ReviewList:
    provider: ServiceProviderProfile  # the provider reviewed (of the service, or the one)
    summary: RatingSummary
    page: Page
    sort: str
    # The viewer is the provider reviewed, so reply forms are shown under unanswered reviews.
    can_reply: bool

    sorts = ReviewSort.choices

    @property
    def sort_label(self) -> str:
        return ReviewSort(self.sort).label


def review_list(*, service=None, provider=None, sort=None, page=None, viewer=None) -> ReviewList:
    """A page of visible reviews in the asked order, with the summary above it.

    Unknown sorts mean newest first and a page out of range the nearest one, as pages are
    shared links; the API checks its parameters itself. At most two queries (the summary,
    unless already read with the service or provider, and the page of reviews).
    """
    if sort not in ReviewSort.values:
        sort = ReviewSort.NEWEST
    summary = rating_summary(service=service, provider=provider)
    reviews = visible_reviews(service=service, provider=provider, sort=sort)
    reviewed = provider or service.provider
    return ReviewList(
        provider=reviewed,
        summary=summary,
        page=CountedPaginator(reviews, conf.PAGE_SIZE, count=summary.review_count).get_page(page),
        sort=sort,
        can_reply=bool(
            viewer is not None and viewer.is_authenticated and viewer.pk == reviewed.user_id
        ),
    )


# --- Drift: stored figures against a recount ---------------------------------------------


def recount_expressions() -> dict:
    """Aggregates that recount a RatingSummary's figures from visible reviews."""
    return {
        "review_count": Count("id"),
        **{sum_field: Coalesce(Sum(field), 0) for field, sum_field in SUM_FIELDS.items()},
        **{
            star_field: Count("id", filter=Q(rating=stars))
            for stars, star_field in STAR_FIELDS.items()
        },
    }


@dataclass
class Drift:
    """One service or provider whose stored figures differ from a recount."""

    kind: str  # "service" or "provider"
    pk: int
    # (figure, stored, recounted) for each figure that differs.
    differences: list[tuple[str, object, object]]
    name: str = ""

    def __str__(self):
        where = f"{self.kind} {self.pk}" + (f" “{self.name}”" if self.name else "")
        figures = "; ".join(
            f"{figure} stored {stored}, recount {recounted}"
            for figure, stored, recounted in self.differences
        )
        return f"{where}: {figures}"


@dataclass
class DriftReport:
    checked: int
    drifts: list[Drift]


# What is compared for each kind: its summary model, the model carrying the listed figures
# (search sorts and filters on them), the review column grouping it, and how it is named.
DRIFT_KINDS = {
    "service": (ServiceRatingSummary, Service, "service_id", "title"),
    "provider": (ProviderRatingSummary, ServiceProviderProfile, "provider_id", "business_name"),
}


def _drifts_of(kind: str) -> tuple[int, list[Drift]]:
    summary_model, owner_model, group_by, name_field = DRIFT_KINDS[kind]
    zeros = dict.fromkeys(RatingSummary.FIGURES, 0)
    recounts = {
        row.pop(group_by): row
        for row in Review.objects.filter(is_hidden=False)
        .order_by()
        .values(group_by)
        .annotate(**recount_expressions())
    }
    stored = {
        row.pop("pk"): row for row in summary_model.objects.values("pk", *RatingSummary.FIGURES)
    }
    # Owners with any non-zero figure; every other owner carries 0 and 0.00.
    listed = {
        row.pop("pk"): row
        for row in owner_model.objects.filter(Q(review_count__gt=0) | ~Q(rating_average=0))
        .order_by()
        .values("pk", "review_count", "rating_average")
    }
    owner_label = owner_model.__name__
    drifts = []
    pks = recounts.keys() | stored.keys() | listed.keys()
    for pk in sorted(pks):
        recount = recounts.get(pk, zeros)
        differences = [
            (figure, stored.get(pk, zeros)[figure], recount[figure])
            for figure in RatingSummary.FIGURES
            if stored.get(pk, zeros)[figure] != recount[figure]
        ]
        on_owner = listed.get(pk, {"review_count": 0, "rating_average": average(0, 0)})
        expected = {
            "review_count": recount["review_count"],
            "rating_average": average(recount["rating_sum"], recount["review_count"]),
        }
        differences += [
            (f"{owner_label}.{figure}", on_owner[figure], expected[figure])
            for figure in ("review_count", "rating_average")
            if on_owner[figure] != expected[figure]
        ]
        if differences:
            drifts.append(Drift(kind=kind, pk=pk, differences=differences))
    names = dict(
        owner_model.objects.filter(pk__in=[drift.pk for drift in drifts]).values_list(
            "pk", name_field
        )
    )
    for drift in drifts:
        drift.name = names.get(drift.pk, "")
    return len(pks), drifts


def rating_drift() -> DriftReport:
    """Every service and provider whose stored figures differ from a recount of its visible
    reviews, read from one snapshot so writes under way are not reported as drift."""
    # Inside a caller's transaction (a test's) the caller's snapshot rules apply instead.
    own_snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if own_snapshot:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        checked, drifts = 0, []
        for kind in DRIFT_KINDS:
            count, found = _drifts_of(kind)
            checked += count
            drifts += found
    return DriftReport(checked=checked, drifts=drifts)
