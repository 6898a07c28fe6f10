"""Rate limits for the JSON API, counted in the Django cache.

The cache is Redis in production, so every gunicorn worker shares the counts. Counting
reuses django-ratelimit's fixed windows (one atomic add/incr per request, no lock), which
also gives an exact Retry-After: the seconds left in the caller's current window.

With Redis unreachable every limit here fails open (`hit`): the request goes through
uncounted and the outage is logged once a minute; docs/deploy.md says why.

A caller is the user of a valid access token, otherwise the client IP as allauth sees it
(so ALLAUTH_TRUSTED_PROXY_COUNT decides for the site and the API alike).

- The whole API: `ApiRateThrottle`, installed on the NinjaAPI (API_RATE_LIMIT_ANON,
  API_RATE_LIMIT_USER).
- One operation on top of that: the `rate_limit` decorator, e.g. for booking creation
  (the site's booking form counts in the same place, with `limit_user`)::

      @router.post("/create/", auth=jwt_auth, ...)
      @rate_limit("API_RATE_LIMIT_BOOKING_CREATE")
      def create_booking(request, payload: BookingIn): ...

Rates are read from settings at each request ("50/h", "10/m", "1000/d"), so tests can
lower them with the `settings` fixture.

API_RATE_LIMIT_EXEMPT_EMAILS (empty by default) names accounts whose access tokens skip
every limit here: the load benchmark's client (`manage.py bench`), which must send far
more than a person would. Callers without a token are never exempt.
"""

import threading
from functools import wraps

from allauth.account.adapter import get_adapter
from django.conf import settings
from django_ratelimit.core import get_usage
from ninja.throttling import BaseThrottle

from core.api.auth import jwt_auth
from core.cache import outage_log
from core.cache import strict as strict_cache
from core.cache import watch as cache_watch
from core.errors import RateLimited


class RateLimitExceeded(RateLimited):
    """The caller went over a limit and may try again after `retry_after` seconds."""

    def __init__(self, retry_after: int, detail: str = "Too many requests. Try again later."):
        super().__init__(detail, retry_after=retry_after)


def client_ip(request) -> str:
    return get_adapter(request).get_client_ip(request)


def _token_caller(request) -> tuple[str | None, object]:
    """The user id in the request's valid access token and that token's user, if any."""
    payload = getattr(request, "auth", None)
    if isinstance(payload, dict):
        return payload.get("sub"), request.user
    # Operations without auth have not looked at the token; look without letting the
    # check replace request.user for them.
    user = request.user
    payload = jwt_auth(request)
    token_user, request.user = request.user, user
    if not isinstance(payload, dict):
        return None, None
    return payload.get("sub"), token_user


def caller_key(request) -> str | None:
    """`user:<id>` for a caller with a valid access token, `ip:<address>` otherwise;
    None for a token of an account in API_RATE_LIMIT_EXEMPT_EMAILS (not counted)."""
    subject, user = _token_caller(request)
    if not subject:
        return f"ip:{client_ip(request)}"
    exempt = settings.API_RATE_LIMIT_EXEMPT_EMAILS
    if exempt and user.email.lower() in {email.lower() for email in exempt}:
        return None
    return f"user:{subject}"


def hit(request, *, scope: str, rate: str, key: str, fail_open: bool = True) -> None:
    """Count one request of `key` against `rate`; raise RateLimitExceeded past the limit.

    With the cache unreachable the request cannot be counted. `fail_open` (every limiter
    here, see docs/deploy.md) lets it through, logged once a minute by core.cache; without
    it the request is refused with a 503 (core.cache.CacheUnavailable). Either way the
    answer django-ratelimit gives then (a count of None read as "limit, -1 seconds left")
    is never used.
    """
    with cache_watch() as seen:
        if fail_open:
            usage = _usage(request, scope, rate, key)
        else:
            with strict_cache():
                usage = _usage(request, scope, rate, key)
    if seen.failed:
        outage_log.warning("Rate limit not counted (cache unavailable), let through: %s", scope)
        return
    if usage is not None and usage["should_limit"]:
        raise RateLimitExceeded(usage["time_left"])


def _usage(request, scope, rate, key):
    return get_usage(
        request,
        group=f"api:{scope}",
        key=lambda group, request: key,
        rate=rate,
        increment=True,
    )


class ApiRateThrottle(BaseThrottle):
    """Every API operation: API_RATE_LIMIT_USER per user, API_RATE_LIMIT_ANON per IP."""

    def __init__(self):
        # ninja asks wait() right after allow_request() on the same thread.
        self._local = threading.local()

    def allow_request(self, request) -> bool:
        key = caller_key(request)
        if key is None:
            return True
        is_user = key.startswith("user:")
        rate = settings.API_RATE_LIMIT_USER if is_user else settings.API_RATE_LIMIT_ANON
        try:
            hit(request, scope="user" if is_user else "anon", rate=rate, key=key)
        except RateLimitExceeded as exc:
            self._local.retry_after = exc.retry_after
            return False
        return True

    def wait(self) -> float | None:
        return getattr(self._local, "retry_after", None)


def limit_user(request, setting_name: str, user) -> None:
    """Count one request of `user` against settings.<setting_name> in the same counter the
    `rate_limit` decorator keeps for API callers, so a limit holds across the site and the
    API (booking creation: API_RATE_LIMIT_BOOKING_CREATE). Raises RateLimitExceeded."""
    hit(
        request,
        scope=setting_name.lower(),
        rate=getattr(settings, setting_name),
        key=f"user:{user.pk}",
    )


def rate_limit(setting_name: str):
    """Limit one operation per caller to the rate in settings.<setting_name>."""

    def decorator(view_func):
        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            key = caller_key(request)
            if key is not None:
                hit(
                    request,
                    scope=setting_name.lower(),
                    rate=getattr(settings, setting_name),
                    key=key,
                )
            return view_func(request, *args, **kwargs)

        return wrapper

    return decorator
