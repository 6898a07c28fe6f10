"""Quote requests and the provider's quote on each, with their history.

One row per request (`QuoteRequest`, reference `Q-…`): what the customer asked for, and the
provider's current quote on it (price, duration, what is included, validity, an optional
proposed slot). Every change is a `QuoteEvent` with the terms as they stood after it, so a
changed quote keeps what it said before. Times are UTC instants; the validity date is the
provider's local date, turned into the instant it ends (`expires_at`) when quoted.
"""

import secrets
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from accounts.models import City, ServiceProviderProfile
from booking.models import REFERENCE_ALPHABET, Booking
from catalog.models import Service

DESCRIPTION_MAX_LENGTH = 3000
PREFERRED_TIMES_MAX_LENGTH = 500
INCLUDED_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 1000
MAX_PHOTOS = 5


def new_quote_reference():
    """`Q-7Q4K-9MZD`, drawn like booking references (no 0/O, 1/I/L)."""
    groups = ("".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(4)) for _ in range(2))
    return "Q-" + "-".join(groups)


class QuoteStatus(models.TextChoices):
    REQUESTED = "REQUESTED", "Waiting for a quote"
    QUOTED = "QUOTED", "Quoted"
    ACCEPTED = "ACCEPTED", "Accepted"
    DECLINED = "DECLINED", "Declined by the provider"
    WITHDRAWN = "WITHDRAWN", "Withdrawn by the provider"
    EXPIRED = "EXPIRED", "Expired"


# Nothing changes a request in these states any more.
CLOSED_STATUSES = (
    QuoteStatus.ACCEPTED,
    QuoteStatus.DECLINED,
    QuoteStatus.WITHDRAWN,
    QuoteStatus.EXPIRED,
)


class QuoteEventKind(models.TextChoices):
    REQUESTED = "REQUESTED", "Requested"
    QUOTED = "QUOTED", "Quoted"
    CHANGED = "CHANGED", "Quote changed"
    ACCEPTED = "ACCEPTED", "Accepted"
    DECLINED = "DECLINED", "Declined"
    WITHDRAWN = "WITHDRAWN", "Withdrawn"
    EXPIRED = "EXPIRED", "Expired"


class QuotePricing(models.TextChoices):
    # The same values as catalog.models.PricingType, which the booking's snapshot keeps.
    FIXED = "FIXED", "Fixed price"
    HOURLY = "HOURLY", "Per hour, estimated"


class QuoteTerms(models.Model):
    """A quote's terms; on the request (the current ones) and on each event (as they were)."""

    pricing = models.CharField(max_length=8, choices=QuotePricing, blank=True)
    # The job's price (FIXED) or the rate per hour (HOURLY).
    price = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    estimated_hours = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    included = models.TextField(max_length=INCLUDED_MAX_LENGTH, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    proposed_start = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def estimated_total(self) -> Decimal | None:
        if self.price is None:
            return None
        if self.pricing == QuotePricing.HOURLY:
            total = self.price * (self.estimated_hours or Decimal(0))
            return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return self.price

    def terms(self) -> dict:
        return {field: getattr(self, field) for field in TERM_FIELDS}


TERM_FIELDS = (
    "pricing",
    "price",
    "estimated_hours",
    "duration_minutes",
    "included",
    "valid_until",
    "proposed_start",
)


class QuoteRequest(QuoteTerms):
    reference = models.CharField(
        max_length=12, unique=True, default=new_quote_reference, editable=False
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="quote_requests",
        db_index=False,
    )
    provider = models.ForeignKey(
        ServiceProviderProfile,
        on_delete=models.PROTECT,
        related_name="quote_requests",
        db_index=False,
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="quote_requests")
    description = models.TextField(max_length=DESCRIPTION_MAX_LENGTH)
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+")
    preferred_times = models.CharField(max_length=PREFERRED_TIMES_MAX_LENGTH, blank=True)
    currency = models.CharField(max_length=3)

    status = models.CharField(max_length=16, choices=QuoteStatus, default=QuoteStatus.REQUESTED)
    status_changed_at = models.DateTimeField(default=timezone.now)
    # The end of valid_until in the provider's zone: what the expiry sweep compares.
    expires_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(max_length=REASON_MAX_LENGTH, blank=True)
    # The booking an accepted quote made; unique, so a quote books once.
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.PROTECT, related_name="quote"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # "My quotes" and "Quote requests": each side's newest first, by status.
            models.Index(fields=["customer", "-created_at"], name="quote_customer_idx"),
            models.Index(fields=["provider", "-created_at"], name="quote_provider_idx"),
            models.Index(
                fields=["provider", "status", "-created_at"], name="quote_provider_status_idx"
            ),
            # The expiry sweep: quoted requests by when their quote ends.
            models.Index(
                fields=["expires_at"],
                name="quote_due_expiry_idx",
                condition=models.Q(status="QUOTED"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="ACCEPTED") | models.Q(booking__isnull=True),
                name="quote_booking_only_when_accepted",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="ACCEPTED") | models.Q(booking__isnull=False),
                name="quote_accepted_has_booking",
            ),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("quotes:detail", kwargs={"reference": self.reference})

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class QuoteEvent(QuoteTerms):
    """One change of a quote request, written in the same transaction; the terms after it."""

    quote_request = models.ForeignKey(
        QuoteRequest, on_delete=models.CASCADE, related_name="history"
    )
    kind = models.CharField(max_length=16, choices=QuoteEventKind)
    from_status = models.CharField(max_length=16, choices=QuoteStatus, blank=True)
    to_status = models.CharField(max_length=16, choices=QuoteStatus)
    # Null when the system made the change (the expiry job).
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(default=timezone.now)
    notes = models.TextField(max_length=REASON_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name_plural = "quote history"

    def __str__(self):
        return f"{self.quote_request}: {self.kind}"


class QuotePhoto(models.Model):
    """A photo the customer sent with a request: checked and cleaned by core.images (type by
    its bytes, size and pixel limits, EXIF and text stripped, turned upright), kept in the
    private storage and served only to the two sides and the marketplace team."""

    quote_request = models.ForeignKey(QuoteRequest, on_delete=models.CASCADE, related_name="photos")
    position = models.PositiveSmallIntegerField()
    # The name in core.storage.private_storage.
    file_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["quote_request", "position"], name="quote_photo_position_unique"
            )
        ]

    def __str__(self):
        return f"{self.quote_request} photo {self.position}"

    def get_absolute_url(self):
        return reverse(
            "quotes:photo", kwargs={"reference": self.quote_request.reference, "pk": self.pk}
        )
