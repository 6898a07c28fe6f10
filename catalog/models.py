from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse

from accounts.models import ServiceProviderProfile
from core.fields import IntegerSetField

MAX_DURATION_MINUTES = 12 * 60


class ServiceCategory(models.Model):
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=90, unique=True)
    icon = models.CharField(max_length=8, blank=True, help_text="An emoji shown beside the name.")
    description = models.CharField(max_length=200, blank=True)
    ordering = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    # The names of the category and its ancestors, weighted into services' search vectors.
    search_terms = models.CharField(max_length=400, blank=True, editable=False)

    class Meta:
        ordering = ["ordering", "name"]
        verbose_name_plural = "service categories"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:category", kwargs={"slug": self.slug})


class PricingType(models.TextChoices):
    HOURLY = "HOURLY", "Per hour"
    FIXED = "FIXED", "Fixed price"
    # Price on quote: never booked at base_price (an indicative "from" price, kept so price
    # filters and sorts keep working); customers send a quote request instead (quotes app).
    QUOTE = "QUOTE", "Price on quote"


# What a provider sets on their service (the dashboard's and the API's form, in the order
# the form shows them); everything else on the row is derived or kept by the services.
SERVICE_FIELDS = (
    "title",
    "slug",
    "category",
    "short_description",
    "description",
    "pricing_type",
    "base_price",
    "currency",
    "duration_minutes",
    "is_active",
)


# What search filters listings on besides the text (see catalog.selectors.search_services).
# The cities make an index entry longer with each city (4 bytes): a provider serves at most
# accounts.limits.MAX_CITIES_PER_PROVIDER, far below btree's 2,704-byte entry limit.
LISTING_FILTER_COLUMNS = ("category", "pricing_type", "base_price", "city_ids")


def _covering(*in_key: str) -> tuple[str, ...]:
    """What a walk in price or date order tests besides its key: every filter and the
    rating, so it passes over the listings that fail them in the index alone (a walk by
    price for "4.5 and up, free on Saturday" read 56,000 table rows for twenty listings)."""
    keyed = {name.lstrip("-") for name in in_key}
    return tuple(c for c in (*LISTING_FILTER_COLUMNS, "rating_average") if c not in keyed)


class Service(models.Model):
    provider = models.ForeignKey(
        ServiceProviderProfile, on_delete=models.CASCADE, related_name="services"
    )
    category = models.ForeignKey(ServiceCategory, on_delete=models.PROTECT, related_name="services")
    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140)
    short_description = models.CharField(max_length=200, blank=True)
    description = models.TextField(max_length=5000, blank=True)
    pricing_type = models.CharField(max_length=8, choices=PricingType, default=PricingType.FIXED)
    base_price = models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    currency = models.CharField(
        max_length=3,
        default=settings.DEFAULT_CURRENCY,
        validators=[RegexValidator(r"^[A-Z]{3}$", "Use a three-letter ISO 4217 code, e.g. USD.")],
    )
    duration_minutes = models.PositiveIntegerField(
        validators=[MinValueValidator(15), MaxValueValidator(MAX_DURATION_MINUTES)]
    )
    is_active = models.BooleanField(default=True)
    # A priced service that also takes quote requests; a QUOTE service always does.
    offers_quotes = models.BooleanField(default=False)
    is_featured = models.BooleanField(default=False)
    # Active and offered by a verified provider: what customers may see. Kept by
    # catalog.services so public queries never join the provider table.
    is_listed = models.BooleanField(default=False, editable=False)
    # The cities the provider serves (ids), copied here by catalog.services so a city filter
    # is an index lookup on this row, not a join per listing.
    city_ids = IntegerSetField(default=list, editable=False)
    # Weighted title > short description > description > category names; see services.
    search_vector = SearchVectorField(null=True, editable=False)

    # Denormalized figures, kept correct by the reviews and booking service layers.
    rating_average = models.DecimalField(max_digits=3, decimal_places=2, default=0)
    review_count = models.PositiveIntegerField(default=0)
    completed_bookings_count = models.PositiveIntegerField(default=0)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        # Public listings filter on is_listed first; partial indexes keep them small.
        indexes = [
            models.Index(fields=["provider", "-created_at"], name="service_provider_idx"),
            # Covers the provider so counting a category's listings in a city never
            # reads the table.
            models.Index(
                fields=["category", "base_price"],
                name="service_listed_category_idx",
                include=["provider"],
                condition=models.Q(is_listed=True),
            ),
            # Narrow, for counting a price range (a covering one is too wide to beat reading
            # the table for that); the covering one below is for walks in price order.
            models.Index(
                fields=["base_price", "id"],
                name="service_listed_price_idx",
                condition=models.Q(is_listed=True),
            ),
            models.Index(
                fields=["base_price", "id"],
                name="service_listed_price_cov",
                condition=models.Q(is_listed=True),
                include=_covering("base_price"),
            ),
            # Covers every filter, so a walk in rating order (the default order, and how a
            # text search finds its best-rated matches) tests each listing against the
            # filters in the index alone and reads a table row only for those that pass.
            models.Index(
                fields=["-rating_average", "-review_count", "-id"],
                name="service_rating_covering_idx",
                condition=models.Q(is_listed=True),
                include=LISTING_FILTER_COLUMNS,
            ),
            models.Index(
                fields=["-created_at", "-id"],
                name="service_listed_newest_cov",
                condition=models.Q(is_listed=True),
                include=_covering(),
            ),
            models.Index(
                fields=["-created_at"],
                name="service_featured_idx",
                condition=models.Q(is_listed=True, is_featured=True),
            ),
            GinIndex(fields=["search_vector"], name="service_search_vector_idx"),
            GinIndex(
                fields=["city_ids"],
                name="service_listed_cities_idx",
                condition=models.Q(is_listed=True),
            ),
            # An equality filter leads, the sort follows, so each order is an index walk
            # within the filter. Walking a sort index and skipping other rows fails when the
            # filter correlates with the order: hourly rates are all cheaper than fixed
            # prices, so "hourly, most expensive first" skipped 400,000 fixed-price rows.
            *(
                models.Index(
                    fields=[prefix, *order],
                    # "_cov" since they cover the filters (0008 built them beside the old).
                    name=f"service_{label}_{name}_{'idx' if name == 'rating' else 'cov'}",
                    condition=models.Q(is_listed=True),
                    include=(
                        tuple(c for c in LISTING_FILTER_COLUMNS if c != prefix)
                        if name == "rating"
                        else _covering(prefix, *order)
                    ),
                )
                for prefix, label in (("pricing_type", "pricing"), ("category", "category"))
                for name, order in (
                    ("price", ["base_price", "id"]),
                    ("rating", ["-rating_average", "-review_count", "-id"]),
                    ("newest", ["-created_at", "-id"]),
                )
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "slug"], name="catalog_service_slug_per_provider"
            ),
            models.CheckConstraint(
                condition=models.Q(base_price__gt=0), name="catalog_service_price_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    duration_minutes__gte=15, duration_minutes__lte=MAX_DURATION_MINUTES
                ),
                name="catalog_service_duration_range",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("catalog:service_detail", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def is_quote_only(self) -> bool:
        """Price on quote: booked only by accepting a quote, never at its base price."""
        return self.pricing_type == PricingType.QUOTE

    @property
    def takes_quote_requests(self) -> bool:
        return self.is_quote_only or self.offers_quotes


# How far ahead search can filter on availability ("free on <date>", "free this week"), in
# the provider's local days, today included; booking.free_days keeps the rows for them.
FREE_DAYS_AHEAD = 14


class ServiceFreeDay(models.Model):
    """A local day (the provider's) on which a listed service has at least one bookable
    start, until `book_by`: its last free start that day less the provider's notice. A search
    for availability is an index probe here instead of a slot computation per listing.

    Kept by booking.free_days (which owns the rules for slots) for FREE_DAYS_AHEAD days; time
    passing needs no rewrite, since `book_by` already says when the day stops counting."""

    pk = models.CompositePrimaryKey("service", "day")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    book_by = models.DateTimeField()

    class Meta:
        indexes = [
            # A rare day (a Sunday) is found from its rows, not by probing every listing.
            models.Index(fields=["day"], include=["service", "book_by"], name="freeday_day_idx")
        ]

    def __str__(self):
        return f"{self.service_id} free on {self.day}"


class FreeDaysState(models.Model):
    """What a provider's ServiceFreeDay rows are owed: `owed_since` is set in the same
    transaction as any change to their hours, time off, bookings or listings (the record of
    work owed, so a lost task only delays it); `computed_through` is the last local day the
    rows cover, so the days entering the window are added as time passes."""

    provider = models.OneToOneField(
        ServiceProviderProfile, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    owed_since = models.DateTimeField(null=True, blank=True)
    computed_through = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["owed_since"],
                name="freedays_owed_idx",
                condition=models.Q(owed_since__isnull=False),
            ),
            models.Index(fields=["computed_through"], name="freedays_through_idx"),
        ]

    def __str__(self):
        return f"free days of provider {self.provider_id}"


class SearchTerm(models.Model):
    """A word that occurs in listings, so a misspelt query word can be corrected to it."""

    word = models.CharField(max_length=40, unique=True)

    class Meta:
        indexes = [
            GinIndex(fields=["word"], name="searchterm_word_trgm_idx", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self):
        return self.word
