"""What still cannot answer while Redis is down answers 503 with Retry-After, never a 500.

Most of the site does not need Redis (core.cache turns an outage into cache misses). What
is left, and what this module answers:

- `CacheUnavailable` (core.cache): a caller that must not go on without Redis, chiefly
  allauth's login, sign-up and password limits (`fail_closed_allauth_rate_limits`: letting
  unlimited password guesses through is worse than refusing logins for a while).
- A Redis error from anything that talks to Redis directly (a cache lock, Huey's queue).

`ServiceUnavailableMiddleware` answers them: JSON `{"detail": ...}` under /api/ (the API's
error shape, core/api/errors.py, whose handlers answer the same for ninja operations),
templates/503.html elsewhere, always with `Retry-After: RETRY_AFTER_SECONDS`. A view's
exception is caught in process_exception; one raised outside a view (another
middleware's) is turned by Django into a 500 first, which the middleware replaces.
"""

import logging
import sys
from functools import wraps

import redis.exceptions
from django.core.signals import got_request_exception
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

from core.cache import CacheUnavailable, outage_log

RETRY_AFTER_SECONDS = 30
API_PATH_PREFIX = "/api/"
DETAIL = f"Service temporarily unavailable. Try again in {RETRY_AFTER_SECONDS} seconds."

logger = logging.getLogger(__name__)

# Redis's own errors only: a builtin TimeoutError (an SMTP call's, say) stays a 500.
UNAVAILABLE_ERRORS = (
    CacheUnavailable,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    redis.exceptions.ReadOnlyError,
)


def is_outage(exc: BaseException | None) -> bool:
    """Is `exc` (or what it was raised from) Redis being unreachable?"""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, UNAVAILABLE_ERRORS):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def unavailable_response(request, exc: BaseException | None = None) -> HttpResponse:
    """The 503 for `request`: JSON under /api/, the site's page elsewhere."""
    outage_log.warning("Answering 503, Redis unavailable: %r", exc)
    if request.path_info.startswith(API_PATH_PREFIX):
        response = JsonResponse({"detail": DETAIL}, status=503)
    else:
        # Rendered without the request's context processors: the page must not need the
        # session, the user or the cache that just failed.
        try:
            content = render_to_string(
                "503.html", {"retry_seconds": RETRY_AFTER_SECONDS, "detail": DETAIL}
            )
        except Exception:  # a broken template must not turn the 503 into a 500
            logger.exception("503.html could not be rendered")
            content = f"<!DOCTYPE html><title>Unavailable</title><p>{DETAIL}</p>"
        response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _remember_outage(sender, request=None, **kwargs):
    # Django sends this while handling an exception that escaped a view or a middleware.
    exc = sys.exc_info()[1]
    if request is not None and is_outage(exc):
        request.unavailable_error = exc


got_request_exception.connect(_remember_outage, dispatch_uid="core-unavailable-outage")


class ServiceUnavailableMiddleware:
    """Redis unreachable where it is needed → 503 + Retry-After (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        exc = getattr(request, "unavailable_error", None)
        if exc is not None and response.status_code == 500:
            return unavailable_response(request, exc)
        return response

    def process_exception(self, request, exception):
        if is_outage(exception):
            return unavailable_response(request, exception)
        return None


def fail_closed_allauth_rate_limits() -> None:
    """Make every allauth rate limit (login, failed logins, sign-up, password reset and
    change, email confirmation) refuse with CacheUnavailable (a 503) when it cannot count,
    instead of its own behaviour then: a second of retries and a misleading 429."""
    from allauth.core.internal import ratelimit as allauth_ratelimit

    from core.cache import strict

    original = allauth_ratelimit._consume_single_rate
    if getattr(original, "fails_closed", False):
        return

    @wraps(original)
    def consume_single_rate(*args, **kwargs):
        with strict():
            return original(*args, **kwargs)

    consume_single_rate.fails_closed = True
    allauth_ratelimit._consume_single_rate = consume_single_rate
