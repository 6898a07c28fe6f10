"""The JSON API root: each app mounts its ninja router here."""

from csp.decorators import csp_update
from django.utils import timezone
from ninja import NinjaAPI, Schema
from pydantic import ConfigDict

from accounts.api import router as accounts_router
from booking.api import router as booking_router
from catalog.api import router as catalog_router
from clients.api import router as clients_router
from core.api.errors import install_error_handlers
from core.api.examples import dated_from
from core.api.parser import JsonObjectParser
from core.ratelimit import ApiRateThrottle
from insights.api import router as insights_router
from messaging.api import router as messaging_router
from notifications.api import router as notifications_router
from quotes.api import router as quotes_router
from reviews.api import router as reviews_router


class MarketplaceAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        # Examples dated from today (core/api/examples.py), so one copied from Swagger UI
        # asks for a day that has not passed.
        schema = super().get_openapi_schema(*args, **kwargs)
        return dated_from(schema, timezone.localdate())


api = MarketplaceAPI(
    title="Marketplace API",
    version="1.0.0",
    description="Book local workers: services, bookings and reviews. Authenticate with JWT.",
    urls_namespace="api",
    docs_url="/docs/",
    openapi_url="/schema/",
    # Swagger UI styles its widgets inline; scripts stay limited to our own origin.
    docs_decorator=csp_update({"style-src": ["'unsafe-inline'"]}),
    # Every operation counts against the caller's hourly limit (API_RATE_LIMIT_*).
    throttle=[ApiRateThrottle()],
    parser=JsonObjectParser(),
)
# JSON for every error, the domain error family (core/errors.py) included.
install_error_handlers(api)


class HealthOut(Schema):
    status: str

    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "ok"}]})


@api.get("/health/", response=HealthOut, summary="Is the API up?", tags=["meta"])
def api_health(request):
    return {"status": "ok"}


api.add_router("/users/", accounts_router)
# /categories/ and /services/...; /services/{id}/slots/ belongs to booking, /reviews/ to reviews.
api.add_router("/", catalog_router)
# /services/{id}/slots/ and /bookings/.... No catalog pattern matches a slots path (each
# ends at its own slash), and booking's router lists /bookings/create/ before
# /bookings/{booking_reference}/, so "create" is never taken for a reference.
api.add_router("/", booking_router)
# /reviews/create/, /services/{id}/reviews/ and /providers/{slug}/ (with its reviews).
api.add_router("/", reviews_router)
api.add_router("/notifications/", notifications_router)
# A provider's insights and clients (#21): /me/insights/, /me/clients/.
api.add_router("/", insights_router)
api.add_router("/", clients_router)
# /quotes/...: quote requests and quotes (#22); /quotes/create/ is listed before
# /quotes/{quote_reference}/, so "create" is never taken for a reference.
api.add_router("/", quotes_router)
# Conversations and their messages (#22).
api.add_router("/conversations/", messaging_router)
