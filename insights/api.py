"""The insights figures as JSON for the provider: GET /api/me/insights/?period=30d."""

from typing import Literal

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from core.api.auth import jwt_auth
from core.api.errors import ErrorOut
from core.api.text import InputSchema

from . import selectors

router = Router(tags=["provider insights"])

PROVIDERS_ONLY = "Only providers have insights."


class InsightsQueryIn(InputSchema):
    period: Literal["7d", "30d", "90d", "365d"] = Field(
        selectors.DEFAULT_PERIOD,
        description="The last 7, 30, 90 or 365 days, ending today in the provider's time zone.",
    )


class CancelledOut(Schema):
    total: int
    by_customer: int
    by_provider: int
    by_marketplace: int


class FiguresOut(Schema):
    first_day: str = Field(description="The period's first local day, YYYY-MM-DD.")
    last_day: str = Field(description="Its last local day (today for the current period).")
    views: int = Field(description="Views of the provider's service pages (people, not bots).")
    requests: int
    acceptance_rate: float | None = Field(
        description="Accepted out of the requests accepted, declined or expired; null if none."
    )
    median_answer_minutes: float | None = Field(
        description="Median time from a request to its answer; null if none was answered."
    )
    confirmed: int
    declined: int
    completed: int
    cancelled: CancelledOut
    expired: int
    earnings: dict[str, str] = Field(
        description="Completed jobs' price snapshots by ISO 4217 code, as decimal strings."
    )
    reviews: int
    average_rating: float | None
    repeat_customers: int


class FunnelOut(Schema):
    service_id: int
    title: str
    views: int
    requests: int
    confirmed: int
    completed: int


def _figures_example(first_day, last_day, scale):
    return {
        "first_day": first_day,
        "last_day": last_day,
        "views": 420 * scale,
        "requests": 31 * scale,
        "acceptance_rate": 0.87,
        "median_answer_minutes": 42.0,
        "confirmed": 27 * scale,
        "declined": 3 * scale,
        "completed": 24 * scale,
        "cancelled": {"total": 2, "by_customer": 1, "by_provider": 1, "by_marketplace": 0},
        "expired": 1,
        "earnings": {"USD": f"{2880 * scale}.00"},
        "reviews": 11 * scale,
        "average_rating": 4.8,
        "repeat_customers": 6 * scale,
    }


class InsightsOut(Schema):
    period: str
    time_zone: str
    current: FiguresOut
    previous: FiguresOut = Field(description="The same figures for the period just before.")
    funnel: list[FunnelOut] = Field(description="Per service, in the current period.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    # A week's figures as seen on its last day (examples keep to dates from
                    # core.api.examples' week on, so none is ever in the past).
                    "period": "7d",
                    "time_zone": "America/Chicago",
                    "current": _figures_example("2026-03-03", "2026-03-09", 1),
                    "previous": _figures_example("2026-02-24", "2026-03-02", 1),
                    "funnel": [
                        {
                            "service_id": 12,
                            "title": "Emergency leak repair",
                            "views": 310,
                            "requests": 22,
                            "confirmed": 19,
                            "completed": 17,
                        }
                    ],
                }
            ]
        }
    )


@router.get(
    "/me/insights/",
    auth=jwt_auth,
    response={200: InsightsOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut},
    summary="Your business figures for a period",
    description="For providers: the insights page's figures for the last `period` beside the "
    "period before, and the funnel per service (views → requests → confirmed → completed). "
    "Days are the provider's local days; figures come from rollups updated every few "
    "minutes. Customers and admins get 403.",
)
def my_insights(request, query: Query[InsightsQueryIn]):
    if not request.user.is_provider:
        raise PermissionDenied(PROVIDERS_ONLY)
    return selectors.insights_for(request.user.provider_profile, query.period).as_dict()
