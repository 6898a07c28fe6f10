"""The JSON API root: each app mounts its ninja router here."""

from csp.decorators import csp_update
from ninja import NinjaAPI, Schema
from pydantic import ConfigDict

from accounts.api import ERROR_STATUSES as ACCOUNT_ERROR_STATUSES
from accounts.api import router as accounts_router
from accounts.services import AccountError
from booking.api import router as booking_router
from booking.api import slot_taken_body
from booking.services import BookingError, NotAllowed, SlotTaken
from catalog.api import ERROR_STATUSES as CATALOG_ERROR_STATUSES
from catalog.api import router as catalog_router
from catalog.services import NotYourService
from core.api.errors import STATUS_DETAILS, domain_error_handler, error_body, install_error_handlers
from core.ratelimit import ApiRateThrottle
from reviews.api import ERROR_STATUSES as REVIEW_ERROR_STATUSES
from reviews.api import router as reviews_router

api = NinjaAPI(
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
)
install_error_handlers(api)
api.add_exception_handler(AccountError, domain_error_handler(api, 400))
for error_class, status in (ACCOUNT_ERROR_STATUSES | CATALOG_ERROR_STATUSES).items():
    api.add_exception_handler(error_class, domain_error_handler(api, status))


@api.exception_handler(NotYourService)
def not_your_service(request, exc):
    # The same answer as for a service that does not exist: its existence is not revealed.
    return api.create_response(request, error_body(STATUS_DETAILS[404]), status=404)


@api.exception_handler(SlotTaken)
def slot_taken(request, exc):
    # 409 with the next free slots, so a client can offer them at once.
    return api.create_response(request, slot_taken_body(exc), status=409)


@api.exception_handler(NotAllowed)
def booking_not_allowed(request, exc):
    # 403: this person may never do it; 409: the booking's status or the clock is in the way.
    return api.create_response(
        request, error_body(exc.message), status=403 if exc.forbidden else 409
    )


@api.exception_handler(BookingError)
def booking_rule_broken(request, exc):
    errors = {exc.field: [exc.message]} if exc.field else None
    return api.create_response(request, error_body(exc.message, errors), status=400)


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
api.add_router("/", reviews_router)  # /reviews/create/ and /services/{id}/reviews/
for error_class, status in REVIEW_ERROR_STATUSES.items():
    api.add_exception_handler(error_class, domain_error_handler(api, status))
