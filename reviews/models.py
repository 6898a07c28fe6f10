"""Reviews of finished jobs, the provider's public replies, and rating summaries.

The summaries hold *sums and counts* of the visible reviews of one service or one provider,
kept by reviews.services with integer arithmetic in the same transaction as each change, so
averages are exact whatever the order of changes and a page never recounts reviews.
`manage.py recompute_ratings` checks them against a recount.
"""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import ServiceProviderProfile
from booking.models import Booking
from catalog.models import Service

from . import conf

MIN_RATING, MAX_RATING = 1, 5
TITLE_MAX_LENGTH = 120
COMMENT_MAX_LENGTH = 4000
REPLY_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 1000

# The four sub-ratings a customer gives besides the overall one, with their labels.
SUB_RATINGS = {
    "quality_rating": "Quality",
    "punctuality_rating": "Punctuality",
    "professionalism_rating": "Professionalism",
    "value_rating": "Value for money",
}
RATED_FIELDS = ("rating", *SUB_RATINGS)
# The summary column holding the sum of each rated field.
SUM_FIELDS = {
    "rating": "rating_sum",
    "quality_rating": "quality_sum",
    "punctuality_rating": "punctuality_sum",
    "professionalism_rating": "professionalism_sum",
    "value_rating": "value_sum",
}
STAR_FIELDS = {stars: f"stars_{stars}" for stars in range(MIN_RATING, MAX_RATING + 1)}

RATING_WORDS = {1: "Poor", 2: "Fair", 3: "Good", 4: "Very good", 5: "Excellent"}


def rating_field(verbose_name):
    return models.PositiveSmallIntegerField(
        verbose_name,
        validators=[MinValueValidator(MIN_RATING), MaxValueValidator(MAX_RATING)],
    )


def _rating_range(field):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": MIN_RATING, f"{field}__lte": MAX_RATING}),
        name=f"reviews_review_{field}_range",
    )


def average(total: int, count: int, places: int = 2) -> Decimal:
    """total / count rounded half up to `places` decimals; 0 when nothing was counted."""
    if not count:
        return Decimal(0).quantize(Decimal(1).scaleb(-places))
    return (Decimal(total) / count).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


class Review(models.Model):
    """A customer's review of one COMPLETED booking of theirs; at most one per booking."""

    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="review")
    # Copied from the booking so listings filter and sort without joining it.
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="reviews")
    provider = models.ForeignKey(
        ServiceProviderProfile, on_delete=models.PROTECT, related_name="reviews"
    )

    rating = rating_field("overall rating")
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    comment = models.TextField(max_length=COMMENT_MAX_LENGTH, blank=True)
    quality_rating = rating_field("quality")
    punctuality_rating = rating_field("punctuality")
    professionalism_rating = rating_field("professionalism")
    value_rating = rating_field("value for money")

    # Hidden by the marketplace team (abusive, off-topic): not shown, not counted.
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.TextField(max_length=REASON_MAX_LENGTH, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The public lists: visible reviews of a service or provider, newest first or by
            # rating (scanned backwards for "highest").
            models.Index(
                fields=["service", "-created_at", "-id"],
                name="review_service_newest_idx",
                condition=Q(is_hidden=False),
            ),
            models.Index(
                fields=["service", "rating", "created_at", "id"],
                name="review_service_rating_idx",
                condition=Q(is_hidden=False),
            ),
            models.Index(
                fields=["provider", "-created_at", "-id"],
                name="review_provider_newest_idx",
                condition=Q(is_hidden=False),
            ),
            models.Index(
                fields=["provider", "rating", "created_at", "id"],
                name="review_provider_rating_idx",
                condition=Q(is_hidden=False),
            ),
        ]
        constraints = [
            *(_rating_range(field) for field in RATED_FIELDS),
            models.CheckConstraint(
                condition=Q(is_hidden=False) | ~Q(hidden_reason=""),
                name="reviews_review_hidden_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.rating}★ “{self.title}”"

    @property
    def author_name(self) -> str:
        """First name and initial ("Rosa D."): enough to be real, not enough to find them."""
        first, last = self.customer.first_name.strip(), self.customer.last_name.strip()
        if first and last:
            return f"{first} {last[0]}."
        return first or "A customer"

    @property
    def editable_until(self):
        """When the edit window closes (who may change it, and when: reviews.selectors)."""
        return self.created_at + timedelta(days=conf.EDIT_WINDOW_DAYS)

    @property
    def public_reply(self):
        """The provider's reply, or None (reading `reply` directly raises when there is none)."""
        try:
            return self.reply
        except ReviewReply.DoesNotExist:
            return None

    @property
    def sub_ratings(self) -> list[tuple[str, int]]:
        return [(label, getattr(self, field)) for field, label in SUB_RATINGS.items()]


class ReviewReply(models.Model):
    """The provider's one public answer to a review."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="reply")
    text = models.TextField(max_length=REPLY_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name_plural = "review replies"

    def __str__(self):
        return f"Reply to review {self.review_id}"


class ModerationAction(models.TextChoices):
    HIDDEN = "HIDDEN", "Hidden"
    SHOWN = "SHOWN", "Shown again"


class ReviewModeration(models.Model):
    """One hide or unhide of a review, with who did it and why: the moderation record."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="moderation")
    action = models.CharField(max_length=8, choices=ModerationAction)
    reason = models.TextField(max_length=REASON_MAX_LENGTH)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name_plural = "review moderation"

    def __str__(self):
        return f"{self.get_action_display()}: review {self.review_id}"


class RatingSummary(models.Model):
    """Counts and sums of the visible reviews of one service or provider.

    Sums rather than averages: adding, changing or removing a review is then exact integer
    arithmetic, and the constraints below catch any update that would break the totals.
    """

    review_count = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    quality_sum = models.PositiveIntegerField(default=0)
    punctuality_sum = models.PositiveIntegerField(default=0)
    professionalism_sum = models.PositiveIntegerField(default=0)
    value_sum = models.PositiveIntegerField(default=0)
    stars_1 = models.PositiveIntegerField(default=0)
    stars_2 = models.PositiveIntegerField(default=0)
    stars_3 = models.PositiveIntegerField(default=0)
    stars_4 = models.PositiveIntegerField(default=0)
    stars_5 = models.PositiveIntegerField(default=0)

    # Every column a recount must reproduce.
    FIGURES = ("review_count", *SUM_FIELDS.values(), *STAR_FIELDS.values())

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    review_count=F("stars_1")
                    + F("stars_2")
                    + F("stars_3")
                    + F("stars_4")
                    + F("stars_5")
                ),
                name="%(app_label)s_%(class)s_stars_add_up",
            ),
            models.CheckConstraint(
                condition=Q(
                    rating_sum=F("stars_1")
                    + 2 * F("stars_2")
                    + 3 * F("stars_3")
                    + 4 * F("stars_4")
                    + 5 * F("stars_5")
                ),
                name="%(app_label)s_%(class)s_rating_sum_matches_stars",
            ),
        ]

    @property
    def rating_average(self) -> Decimal:
        return average(self.rating_sum, self.review_count)

    @property
    def sub_rating_averages(self) -> list[tuple[str, Decimal]]:
        """(label, average to one decimal) for each sub-rating."""
        return [
            (label, average(getattr(self, SUM_FIELDS[field]), self.review_count, places=1))
            for field, label in SUB_RATINGS.items()
        ]

    @property
    def distribution(self) -> list[tuple[int, int, int]]:
        """(stars, reviews, whole percent of reviews) from 5 stars down to 1."""
        rows = []
        for stars in sorted(STAR_FIELDS, reverse=True):
            count = getattr(self, STAR_FIELDS[stars])
            percent = round(100 * count / self.review_count) if self.review_count else 0
            rows.append((stars, count, percent))
        return rows


class ServiceRatingSummary(RatingSummary):
    service = models.OneToOneField(
        Service, primary_key=True, on_delete=models.CASCADE, related_name="rating_summary"
    )

    class Meta(RatingSummary.Meta):
        verbose_name_plural = "service rating summaries"

    def __str__(self):
        return f"Ratings of service {self.service_id}"


class ProviderRatingSummary(RatingSummary):
    provider = models.OneToOneField(
        ServiceProviderProfile,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="rating_summary",
    )

    class Meta(RatingSummary.Meta):
        verbose_name_plural = "provider rating summaries"

    def __str__(self):
        return f"Ratings of provider {self.provider_id}"
