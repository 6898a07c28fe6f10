"""A provider's figures by day, kept by Huey (insights.tasks) so the insights page adds up a
few hundred rows whatever the history (docs/insights.md).

`ServiceDay` holds one service's figures on one day. The booking and review columns are
rolled up from the bookings (services.roll_up) on the provider's local day; `views` is
flushed from the Redis counters (services.flush_view_counts) on the UTC day it was counted.
The two writers touch disjoint columns, so neither undoes the other.
"""

from django.db import models

from accounts.models import ServiceProviderProfile
from catalog.models import Service

# The columns roll_up recomputes from bookings and reviews (and the drift check compares).
BOOKING_COLUMNS = (
    "requests",
    "accepted",
    "declined",
    "expired",
    "cancelled_by_customer",
    "cancelled_by_provider",
    "cancelled_by_marketplace",
    "completed",
    "answers",
    "answer_seconds",
    "review_count",
    "rating_sum",
)


class ServiceDay(models.Model):
    provider = models.ForeignKey(
        ServiceProviderProfile, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)
    requests = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    declined = models.PositiveIntegerField(default=0)
    expired = models.PositiveIntegerField(default=0)
    cancelled_by_customer = models.PositiveIntegerField(default=0)
    cancelled_by_provider = models.PositiveIntegerField(default=0)
    cancelled_by_marketplace = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    # Requests answered (accepted or declined) that day, and the seconds each had waited:
    # a median does not add up from daily medians, so the waits themselves are kept.
    answers = models.PositiveIntegerField(default=0)
    answer_seconds = models.JSONField(default=list)
    review_count = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "day"], name="insights_service_day_once")
        ]
        # The page reads one provider's days in a range.
        indexes = [models.Index(fields=["provider", "day"], name="insights_provider_day_idx")]

    def __str__(self):
        return f"{self.service_id} on {self.day}"


class EarningsDay(models.Model):
    """What a provider's completed jobs earned on one local day, per currency (from the
    bookings' price snapshots)."""

    provider = models.ForeignKey(
        ServiceProviderProfile, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()
    currency = models.CharField(max_length=3)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    jobs = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "day", "currency"], name="insights_earnings_day_once"
            )
        ]

    def __str__(self):
        return f"{self.provider_id} {self.day} {self.amount} {self.currency}"
