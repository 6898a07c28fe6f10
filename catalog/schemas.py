"""Request and response bodies of the catalog API, with the examples shown in the docs."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.conf import settings
from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict

from core.api.text import InputSchema

from .forms import MAX_PRICE
from .models import FREE_DAYS_AHEAD, MAX_DURATION_MINUTES, PricingType
from .search_text import MAX_QUERY_LENGTH
from .selectors import COUNT_CAP, MAX_PAGE, PAGE_SIZE, Sort

# --- Categories ----------------------------------------------------------------------

WIRING_EXAMPLE = {
    "id": 7,
    "name": "Wiring",
    "slug": "wiring",
    "icon": "",
    "description": "New circuits, rewiring and fault finding.",
    "children": [],
}
ELECTRICAL_EXAMPLE = {
    "id": 3,
    "name": "Electrical",
    "slug": "electrical",
    "icon": "💡",
    "description": "Licensed electricians for homes and shops.",
    "children": [WIRING_EXAMPLE],
}


class CategoryOut(Schema):
    id: int
    name: str
    slug: str = Field(description="Filter services with ?category=<slug>.")
    icon: str = Field(description="An emoji shown beside the name, or empty.")
    description: str
    children: list["CategoryOut"] = Field(description="Active subcategories, in display order.")

    model_config = ConfigDict(json_schema_extra={"examples": [ELECTRICAL_EXAMPLE]})


CategoryTreeOut = Annotated[
    list[CategoryOut],
    Field(
        description="Top-level active categories, each with its subcategories at any depth.",
        json_schema_extra={"examples": [[ELECTRICAL_EXAMPLE]]},
    ),
]


# --- Services ------------------------------------------------------------------------

CATEGORY_SUMMARY_EXAMPLE = {"id": 12, "name": "Leak repair", "slug": "leak-repair"}
PROVIDER_SUMMARY_EXAMPLE = {
    "id": 5,
    "business_name": "Joe's Plumbing",
    "slug": "joes-plumbing",
    "url": "https://marketplace.example.com/providers/joes-plumbing/",
    "rating_average": "4.80",
    "review_count": 25,
    "verified": True,
    "cities": [{"slug": "austin-tx", "name": "Austin", "state": "TX"}],
}
SERVICE_EXAMPLE = {
    "id": 101,
    "title": "Emergency leak repair",
    "slug": "emergency-leak-repair",
    "url": "https://marketplace.example.com/services/101-emergency-leak-repair/",
    "short_description": "Burst pipe or dripping tap, fixed today.",
    "description": "We find the leak, fix it and check the rest of the line.",
    "category": CATEGORY_SUMMARY_EXAMPLE,
    "provider": PROVIDER_SUMMARY_EXAMPLE,
    "pricing_type": "FIXED",
    "base_price": "120.00",
    "currency": "USD",
    "duration_minutes": 90,
    "is_active": True,
    "is_featured": False,
    "rating_average": "4.90",
    "review_count": 12,
    "completed_bookings_count": 40,
    "created_at": "2026-03-01T09:30:00Z",
    "updated_at": "2026-03-04T16:05:12Z",
}


def _absolute(context, path: str) -> str:
    return context["request"].build_absolute_uri(path)


class CategorySummaryOut(Schema):
    id: int
    name: str
    slug: str

    model_config = ConfigDict(json_schema_extra={"examples": [CATEGORY_SUMMARY_EXAMPLE]})


class CityOut(Schema):
    slug: str = Field(description="What ?city= and a booking's service_city take.")
    name: str
    state: str

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"slug": "austin-tx", "name": "Austin", "state": "TX"}]}
    )


class ProviderSummaryOut(Schema):
    id: int
    business_name: str
    slug: str
    url: str = Field(description="The provider's public page (only verified providers have one).")
    rating_average: Decimal = Field(description="Decimal as a string, 0.00 to 5.00.")
    review_count: int
    verified: bool
    cities: list[CityOut] = Field(
        description="The cities the provider works in: a booking's service_city is one of them."
    )

    model_config = ConfigDict(json_schema_extra={"examples": [PROVIDER_SUMMARY_EXAMPLE]})

    @staticmethod
    def resolve_cities(provider):
        return list(provider.cities.all())

    @staticmethod
    def resolve_url(provider, context):
        return _absolute(context, provider.get_absolute_url())

    @staticmethod
    def resolve_verified(provider):
        return provider.is_verified


class ServiceOut(Schema):
    id: int
    title: str
    slug: str
    url: str = Field(
        description="The service's page on the site (it answers 404 while the service is "
        "paused or its provider is not verified)."
    )
    short_description: str
    description: str
    category: CategorySummaryOut
    provider: ProviderSummaryOut
    pricing_type: PricingType = Field(description="FIXED: the price of the job; HOURLY: per hour.")
    base_price: Decimal = Field(description='Decimal as a string, e.g. "120.00".')
    currency: str = Field(description="ISO 4217 code.")
    duration_minutes: int
    is_active: bool = Field(description="False while the provider has paused the service.")
    is_featured: bool = Field(description="Chosen by the marketplace to be shown first.")
    rating_average: Decimal = Field(description="Decimal as a string, 0.00 to 5.00.")
    review_count: int
    completed_bookings_count: int
    created_at: datetime
    updated_at: datetime

    model_config = ConfigDict(json_schema_extra={"examples": [SERVICE_EXAMPLE]})

    @staticmethod
    def resolve_url(service, context):
        return _absolute(context, service.get_absolute_url())


class NextFreeSlotOut(Schema):
    starts_at: datetime = Field(description="The instant, with the provider's UTC offset.")
    scheduled_date: date = Field(description="The provider's local date.")
    scheduled_time: str = Field(
        description="The provider's local time, HH:MM.", pattern=r"^\d{2}:\d{2}$"
    )


class ServiceDetailOut(ServiceOut):
    next_free_slot: NextFreeSlotOut | None = Field(
        description="The soonest start that can be booked now (send its scheduled_date and "
        "scheduled_time to POST /api/bookings/create/), or null when the provider has no "
        "free time within how far ahead they take bookings."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                SERVICE_EXAMPLE
                | {
                    "next_free_slot": {
                        "starts_at": "2026-03-03T09:00:00-06:00",
                        "scheduled_date": "2026-03-03",
                        "scheduled_time": "09:00",
                    }
                }
            ]
        }
    )

    @staticmethod
    def resolve_next_free_slot(service):
        return getattr(service, "next_free_slot", None)


class ServicePageOut(Schema):
    count: int = Field(description=f"Matching services, counted up to {COUNT_CAP}.")
    count_is_capped: bool = Field(
        description=f"True when more than {COUNT_CAP} services match: `count` is then "
        f"{COUNT_CAP} and only the first {MAX_PAGE} pages can be read. Narrow the search."
    )
    next: str | None = Field(description="Absolute URL of the next page, or null.")
    previous: str | None = Field(description="Absolute URL of the previous page, or null.")
    corrected_query: str | None = Field(
        description="When words of `q` were misspelt, the query that was searched instead "
        '(e.g. "plumbing" for "plumbr"); null otherwise.'
    )
    results: list[ServiceOut] = Field(description=f"Up to {PAGE_SIZE} services.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "count": 41,
                    "count_is_capped": False,
                    "next": "https://marketplace.example.com/api/services/?q=plumbr&page=3",
                    "previous": "https://marketplace.example.com/api/services/?q=plumbr&page=1",
                    "corrected_query": "plumbing",
                    "results": [SERVICE_EXAMPLE],
                }
            ]
        }
    )


ORDERING_MEANINGS = {
    Sort.RELEVANCE: "best match for q (the default; best rated first without q)",
    Sort.RATING: "best rated first",
    Sort.PRICE_ASC: "cheapest first",
    Sort.PRICE_DESC: "dearest first",
    Sort.NEWEST: "newest first",
}


def _blank_is_none(value):
    """An empty query parameter (`?min_price=`) is no filter at all."""
    return None if value == "" else value


def Blankable(kind):
    """`kind`, or null for a parameter left out or sent empty."""
    return Annotated[kind | None, BeforeValidator(_blank_is_none)]


PRICE_FILTER = {"ge": 0, "le": MAX_PRICE, "decimal_places": 2}
MinRating = Literal["3", "4", "4.5"]
Ordering = Literal[tuple(ORDERING_MEANINGS)]


class ServiceSearchIn(InputSchema):
    """The search filters, as query parameters. They mean exactly what they mean on the
    search page (the site's search form checks them too); an empty one is ignored."""

    q: str = Field(
        "",
        max_length=MAX_QUERY_LENGTH,
        description=f"Free text, at most {MAX_QUERY_LENGTH} characters. Words match as "
        "prefixes; a misspelt word is corrected (see corrected_query).",
        json_schema_extra={"example": "leak repair"},
    )
    category: str = Field(
        "",
        max_length=100,
        description="A category's id or slug (see /api/categories/); includes its subcategories.",
        json_schema_extra={"example": "plumbing"},
    )
    city: str = Field(
        "",
        max_length=120,
        description="A city's slug, or its name in any case and spacing, with or without "
        "its state (`austin-tx`, `Austin`, `new york`, `NewYork`, `New York, NY`); see "
        "/api/cities/. A name several cities share is a 400 listing them (`matches`).",
        json_schema_extra={"example": "New York"},
    )
    min_price: Blankable(Decimal) = Field(
        None,
        **PRICE_FILTER,
        description=f"0 to {MAX_PRICE}, at most 2 decimal places.",
        json_schema_extra={"example": 50},
    )
    max_price: Blankable(Decimal) = Field(
        None,
        **PRICE_FILTER,
        description=f"0 to {MAX_PRICE}, at least min_price.",
        json_schema_extra={"example": 200},
    )
    min_rating: Blankable(MinRating) = Field(
        None, description="Minimum average rating.", json_schema_extra={"example": "4.5"}
    )
    pricing_type: Blankable(PricingType) = Field(
        None,
        description="Only FIXED or only HOURLY prices.",
        json_schema_extra={"example": "FIXED"},
    )
    available: str = Field(
        "",
        max_length=10,
        description="`week`: with a free start in the next 7 days; a date (`YYYY-MM-DD`, "
        f"today to {FREE_DAYS_AHEAD - 1} days ahead): with a free start that day, in the "
        "provider's local time. The same free times the booking steps offer; a price-on-quote "
        "service is never listed, as it is booked through a quote.",
        json_schema_extra={"example": "week"},
    )
    ordering: Blankable(Ordering) = Field(
        None,
        description="; ".join(
            f"`{value}`: {meaning}" for value, meaning in ORDERING_MEANINGS.items()
        )
        + ".",
        json_schema_extra={"example": Sort.PRICE_ASC},
    )
    page: Blankable(int) = Field(
        None,
        ge=1,
        le=MAX_PAGE,
        description=f"1 (the default) to the last page; at most {MAX_PAGE}.",
        json_schema_extra={"example": 2},
    )


SERVICE_IN_EXAMPLE = {
    "title": "Emergency leak repair",
    "slug": "emergency-leak-repair",
    "description": "We find the leak, fix it and check the rest of the line.",
    "short_description": "Burst pipe or dripping tap, fixed today.",
    "category": 12,
    "pricing_type": "FIXED",
    "base_price": "120.00",
    "currency": "USD",
    "duration_minutes": 90,
}

# Limits shown in the schema and checked on input; the site's service form then applies
# the rules the dashboard does (active category, slug format, price and duration ranges).
TITLE = {"max_length": 120}
SLUG = {"max_length": 140}
SLUG_HELP = "Part of the page address: lower-case letters, digits and hyphens."
SHORT_DESCRIPTION = {"max_length": 200}
DESCRIPTION = {"max_length": 5000}
CATEGORY = {"description": "The id of an active category (see /api/categories/)."}
PRICE = {
    "max_digits": 10,
    "decimal_places": 2,
    "gt": 0,
    "description": 'More than 0, at most 2 decimal places; a string ("120.00") or a number.',
}
CURRENCY = {"min_length": 3, "max_length": 3, "description": "ISO 4217 code, e.g. USD."}
DURATION = {"ge": 15, "le": MAX_DURATION_MINUTES, "description": "How long the job takes."}


class ServiceIn(InputSchema):
    MULTILINE = frozenset({"description"})

    title: str = Field(**TITLE)
    slug: str = Field("", **SLUG, description=f"{SLUG_HELP} Empty: made from the title.")
    description: str = Field("", **DESCRIPTION)
    short_description: str = Field("", **SHORT_DESCRIPTION)
    category: int = Field(**CATEGORY)
    pricing_type: PricingType = PricingType.FIXED
    base_price: Decimal = Field(**PRICE)
    currency: str = Field(settings.DEFAULT_CURRENCY, **CURRENCY)
    duration_minutes: int = Field(**DURATION)

    model_config = ConfigDict(json_schema_extra={"examples": [SERVICE_IN_EXAMPLE]})


class ServicePatchIn(InputSchema):
    """Only the fields sent change; `is_active` pauses (false) or resumes (true) the service."""

    MULTILINE = frozenset({"description"})

    title: str = Field(None, **TITLE)
    slug: str = Field(None, **SLUG, description=f"{SLUG_HELP} Empty: left as it is.")
    description: str = Field(None, **DESCRIPTION)
    short_description: str = Field(None, **SHORT_DESCRIPTION)
    category: int = Field(None, **CATEGORY)
    pricing_type: PricingType = None
    base_price: Decimal = Field(None, **PRICE)
    currency: str = Field(None, **CURRENCY)
    duration_minutes: int = Field(None, **DURATION)
    is_active: bool = Field(None, description="false pauses the service, true resumes it.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"base_price": "135.00", "duration_minutes": 120}, {"is_active": False}]
        }
    )


class CityPageOut(Schema):
    count: int
    next: str | None = Field(description="Absolute URL of the next page, or null.")
    previous: str | None = Field(description="Absolute URL of the previous page, or null.")
    results: list[CityOut] = Field(description="Cities by name.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "count": 2,
                    "next": None,
                    "previous": None,
                    "results": [
                        {"slug": "austin-tx", "name": "Austin", "state": "TX"},
                        {"slug": "new-york-ny", "name": "New York", "state": "NY"},
                    ],
                }
            ]
        }
    )


class OwnServicePageOut(Schema):
    count: int
    next: str | None = Field(description="Absolute URL of the next page, or null.")
    previous: str | None = Field(description="Absolute URL of the previous page, or null.")
    results: list[ServiceOut] = Field(description="Newest first; paused ones included.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "count": 2,
                    "next": None,
                    "previous": None,
                    "results": [SERVICE_EXAMPLE | {"is_active": False}, SERVICE_EXAMPLE],
                }
            ]
        }
    )
