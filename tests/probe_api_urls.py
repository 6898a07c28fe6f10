"""A URLconf for tests: the real API plus a probe API exercising what no real operation
does yet (a domain error, an unexpected exception, the per-operation rate limit)."""

from django.urls import path
from ninja import NinjaAPI

from accounts.services import AccountError
from core.api.auth import jwt_auth
from core.api.errors import install_error_handlers
from core.ratelimit import ApiRateThrottle, rate_limit
from marketplace.urls import urlpatterns as site_urlpatterns

probe = NinjaAPI(urls_namespace="probe", docs_url=None, throttle=[ApiRateThrottle()])
install_error_handlers(probe)  # the domain error family included


@probe.post("/bookings/", auth=jwt_auth)
@rate_limit("API_RATE_LIMIT_BOOKING_CREATE")
def create_probe_booking(request):
    return {"created": True}


@probe.post("/rule/")
def break_a_rule(request):
    raise AccountError("Only providers have a business profile.")


@probe.get("/bug/")
def crash(request):
    raise RuntimeError("a bug")


urlpatterns = [path("api/probe/", probe.urls), *site_urlpatterns]
