"""Request and response bodies of the reviews API, with the examples shown in the docs."""

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

from booking.models import booking_field_length
from catalog.schemas import SERVICE_EXAMPLE, CityOut, ServiceOut
from core.api.text import InputSchema

from .models import (
    COMMENT_MAX_LENGTH,
    MAX_RATING,
    MIN_RATING,
    REPLY_MAX_LENGTH,
    SUB_RATINGS,
    SUM_FIELDS,
    TITLE_MAX_LENGTH,
    average,
)
from .selectors import ReviewSort

RATING = {"ge": MIN_RATING, "le": MAX_RATING}
PROVIDER_SERVICES_SHOWN = 50
BOOKING_REFERENCE_MAX_LENGTH = booking_field_length("booking_reference")

REVIEW_IN_EXAMPLE = {
    "booking": "BK-7Q4K-9MZD",
    "rating": 5,
    "title": "Fixed the leak in an hour",
    "comment": "Arrived on time, found the leak behind the dishwasher and cleaned up after.",
    "quality_rating": 5,
    "punctuality_rating": 5,
    "professionalism_rating": 5,
    "value_rating": 4,
}
REPLY_EXAMPLE = {
    "text": "Thank you, Rosa! Call us if it ever drips again.",
    "created_at": "2026-03-05T08:12:00Z",
}
REVIEW_EXAMPLE = {
    "id": 31,
    "service": 101,
    "provider": 5,
    "author": "Rosa D.",
    "rating": 5,
    "title": "Fixed the leak in an hour",
    "comment": "Arrived on time, found the leak behind the dishwasher and cleaned up after.",
    "quality_rating": 5,
    "punctuality_rating": 5,
    "professionalism_rating": 5,
    "value_rating": 4,
    "reply": REPLY_EXAMPLE,
    "created_at": "2026-03-04T18:40:00Z",
    "updated_at": "2026-03-04T18:40:00Z",
}


class ReviewIn(InputSchema):
    MULTILINE = frozenset({"comment"})

    booking: int | str = Field(
        description="Your completed booking: its `id` (a number) or its `booking_reference`.",
        json_schema_extra={"examples": ["BK-7Q4K-9MZD", 812]},
    )

    @field_validator("booking", mode="before")
    @classmethod
    def _id_or_reference(cls, value):
        # One clear message rather than one per branch of the union.
        if isinstance(value, str):
            value = value.strip()
            if value.isdecimal():
                value = int(value)
            elif len(value) > BOOKING_REFERENCE_MAX_LENGTH:
                raise ValueError(
                    f"A booking reference has at most {BOOKING_REFERENCE_MAX_LENGTH} characters."
                )
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValueError("Send the booking's id (a number) or its booking_reference.")
        if isinstance(value, int) and not 0 < value < 2**63:
            raise ValueError("A booking id is a positive whole number.")
        return value

    rating: int = Field(**RATING, description="Overall, 1 (poor) to 5 (excellent).")
    title: str = Field(max_length=TITLE_MAX_LENGTH, description="One line.")
    comment: str = Field("", max_length=COMMENT_MAX_LENGTH)
    quality_rating: int = Field(**RATING, description=SUB_RATINGS["quality_rating"])
    punctuality_rating: int = Field(**RATING, description=SUB_RATINGS["punctuality_rating"])
    professionalism_rating: int = Field(**RATING, description=SUB_RATINGS["professionalism_rating"])
    value_rating: int = Field(**RATING, description=SUB_RATINGS["value_rating"])

    model_config = ConfigDict(json_schema_extra={"examples": [REVIEW_IN_EXAMPLE]})


class ReplyOut(Schema):
    text: str = Field(max_length=REPLY_MAX_LENGTH)
    created_at: datetime

    model_config = ConfigDict(json_schema_extra={"examples": [REPLY_EXAMPLE]})


class ReviewOut(Schema):
    id: int
    service: int = Field(description="The id of the service reviewed.")
    provider: int = Field(description="The id of the provider reviewed.")
    author: str = Field(description="The customer's first name and initial.")
    rating: int
    title: str
    comment: str
    quality_rating: int
    punctuality_rating: int
    professionalism_rating: int
    value_rating: int
    reply: ReplyOut | None = Field(description="The provider's public reply, or null.")
    created_at: datetime
    updated_at: datetime

    model_config = ConfigDict(json_schema_extra={"examples": [REVIEW_EXAMPLE]})

    @staticmethod
    def resolve_service(review):
        return review.service_id

    @staticmethod
    def resolve_provider(review):
        return review.provider_id

    @staticmethod
    def resolve_author(review):
        return review.author_name

    @staticmethod
    def resolve_reply(review):
        return review.public_reply


class ReviewPageOut(Schema):
    count: int = Field(description="Visible reviews of the service.")
    next: str | None = Field(description="Absolute URL of the next page, or null.")
    previous: str | None = Field(description="Absolute URL of the previous page, or null.")
    results: list[ReviewOut]

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "count": 23,
                    "next": "https://marketplace.example.com/api/services/101/reviews/?ordering=highest&page=3",
                    "previous": "https://marketplace.example.com/api/services/101/reviews/?ordering=highest&page=1",
                    "results": [REVIEW_EXAMPLE],
                }
            ]
        }
    )


ORDERING_MEANINGS = {
    ReviewSort.NEWEST: "newest first (the default)",
    ReviewSort.HIGHEST: "highest rating first, newest first within a rating",
    ReviewSort.LOWEST: "lowest rating first, newest first within a rating",
}


class ReviewListIn(InputSchema):
    ordering: ReviewSort = Field(
        ReviewSort.NEWEST,
        description="; ".join(
            f"`{value}`: {meaning}" for value, meaning in ORDERING_MEANINGS.items()
        )
        + ".",
        json_schema_extra={"example": ReviewSort.HIGHEST},
    )
    page: int = Field(1, ge=1, description="1 (the default) to the last page.")


# --- A provider's public profile -----------------------------------------------------

RATING_SUMMARY_EXAMPLE = {
    "review_count": 25,
    "rating_average": "4.80",
    "sub_ratings": {
        "quality_rating": "4.9",
        "punctuality_rating": "4.6",
        "professionalism_rating": "4.8",
        "value_rating": "4.5",
    },
    "stars": {"5": 21, "4": 3, "3": 1, "2": 0, "1": 0},
}


class RatingSummaryOut(Schema):
    review_count: int = Field(description="Visible reviews.")
    rating_average: Decimal = Field(description='0.00 to 5.00, as a string ("4.80").')
    sub_ratings: dict[str, Decimal] = Field(
        description="The average of each sub-rating, to one decimal, by its field name."
    )
    stars: dict[str, int] = Field(description='Reviews per overall rating, "5" down to "1".')

    model_config = ConfigDict(json_schema_extra={"examples": [RATING_SUMMARY_EXAMPLE]})

    @staticmethod
    def resolve_sub_ratings(summary):
        return {
            field: average(getattr(summary, SUM_FIELDS[field]), summary.review_count, places=1)
            for field in SUB_RATINGS
        }

    @staticmethod
    def resolve_stars(summary):
        return {str(stars): count for stars, count, _percent in summary.distribution}


class ProviderProfileOut(Schema):
    id: int
    business_name: str
    slug: str
    url: str = Field(description="The provider's page on the site.")
    bio: str
    years_of_experience: int
    verified: bool
    cities: list[CityOut] = Field(description="Where they work: a booking's service_city.")
    rating: RatingSummaryOut
    services: list[ServiceOut] = Field(
        description=f"Their listed services, newest first (at most {PROVIDER_SERVICES_SHOWN})."
    )
    reviews: ReviewPageOut = Field(
        description="The first page of their reviews, newest first; `next` is the next page "
        "of GET /api/providers/{slug}/reviews/."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 5,
                    "business_name": "Joe's Plumbing",
                    "slug": "joes-plumbing",
                    "url": "https://marketplace.example.com/providers/joes-plumbing/",
                    "bio": "Twenty years fixing Austin's pipes.",
                    "years_of_experience": 20,
                    "verified": True,
                    "cities": [{"slug": "austin-tx", "name": "Austin", "state": "TX"}],
                    "rating": RATING_SUMMARY_EXAMPLE,
                    "services": [SERVICE_EXAMPLE],
                    "reviews": {
                        "count": 25,
                        "next": "https://marketplace.example.com/api/providers/joes-plumbing/reviews/?page=2",
                        "previous": None,
                        "results": [REVIEW_EXAMPLE],
                    },
                }
            ]
        }
    )

    @staticmethod
    def resolve_business_name(provider):
        return provider.display_name

    @staticmethod
    def resolve_url(provider, context):
        return context["request"].build_absolute_uri(provider.get_absolute_url())

    @staticmethod
    def resolve_verified(provider):
        return provider.is_verified

    @staticmethod
    def resolve_services(provider):
        return provider.services_shown

    @staticmethod
    def resolve_rating(provider):
        return provider.rating

    @staticmethod
    def resolve_reviews(provider):
        return provider.reviews_page
