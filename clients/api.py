"""A provider's clients as JSON: GET /api/me/clients/."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from core.api.auth import jwt_auth
from core.api.errors import ErrorOut
from core.api.pagination import PageIn, paginated

from . import selectors

router = Router(tags=["provider clients"])

PAGE_SIZE = 25
PROVIDERS_ONLY = "Only providers have clients."


class ClientOut(Schema):
    customer_id: int
    name: str
    email: str = Field(description="Shown as on a booking: the provider sees their clients'.")
    phone: str
    city: str = Field(description="The city of the client's latest booking.")
    jobs_done: int
    last_job_at: dt.datetime | None
    next_job_at: dt.datetime | None
    total_spent: dict[str, str] = Field(description="Completed jobs, by ISO 4217 code.")
    review_count: int
    average_rating: float | None


class ClientPageOut(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[ClientOut]

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "count": 1,
                    "next": None,
                    "previous": None,
                    "results": [
                        {
                            "customer_id": 41,
                            "name": "Rosa Díaz",
                            "email": "rosa@example.com",
                            "phone": "+15125550100",
                            "city": "Austin",
                            "jobs_done": 3,
                            "last_job_at": "2026-02-24T15:00:00Z",
                            "next_job_at": "2026-03-03T16:00:00Z",
                            "total_spent": {"USD": "360.00"},
                            "review_count": 2,
                            "average_rating": 5.0,
                        }
                    ],
                }
            ]
        }
    )


@router.get(
    "/me/clients/",
    auth=jwt_auth,
    response={200: ClientPageOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut},
    summary="Your clients",
    description="For providers: the customers they have served or have a job asked for or "
    "coming with, next job first, 25 a page. Private notes are not included. Customers and "
    "admins get 403.",
)
def my_clients(request, query: Query[PageIn]):
    if not request.user.is_provider:
        raise PermissionDenied(PROVIDERS_ONLY)
    provider = request.user.provider_profile
    rows = selectors.client_rows(provider)
    count = rows.count()
    num_pages = max(1, -(-count // PAGE_SIZE))
    page = query.page
    if page > num_pages:
        return paginated(request, page=page, num_pages=num_pages, count=count, results=[])
    chunk = rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    clients = [client.as_dict() for client in selectors.clients_for(provider, chunk)]
    return paginated(request, page=page, num_pages=num_pages, count=count, results=clients)
