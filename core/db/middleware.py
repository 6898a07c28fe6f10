"""Each request's database routing (core.db.router): GET and HEAD may read from a replica
unless the client wrote in the last DATABASE_REPLICA_PIN_SECONDS; a request that wrote
pins its client to the primary for that long, so nobody misses their own booking.

A browser is pinned by a cookie. An API client sends a bearer token and often keeps no
cookies (the phone app), so it is pinned by the token's subject, the user, in the shared
cache: any app host then sends that user's reads to the primary. Routing reads the subject
without checking the signature, since a forged token can only send its own reads to the
primary; the pin is set only after the view authenticated the same user."""

import time

import jwt
from django.conf import settings
from django.core.cache import cache

from .router import reading_from_replicas

PIN_COOKIE = "mp_primary"
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _bearer_subject(request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    subject = claims.get("sub") if isinstance(claims, dict) else None
    return str(subject) if subject not in (None, "") else None


def _pin_key(subject: str) -> str:
    return f"replica-pin:user:{subject}"


def _pinned(request):
    try:
        if int(request.COOKIES.get(PIN_COOKIE, "0")) > time.time():
            return True
    except ValueError:
        pass
    subject = _bearer_subject(request)
    # The cache is a fast path (core.cache): unreachable, a pin reads as absent.
    return subject is not None and (cache.get(_pin_key(subject)) or 0) > time.time()


def _pin_api_client(request, until: int, seconds: int) -> None:
    subject = _bearer_subject(request)
    user = getattr(request, "user", None)
    if subject and user is not None and user.is_authenticated and str(user.pk) == subject:
        cache.set(_pin_key(subject), until, seconds)


class ReplicaRoutingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.DATABASE_REPLICAS:
            return self.get_response(request)
        if request.method not in _SAFE_METHODS or _pinned(request):
            response = self.get_response(request)
            wrote = request.method not in _SAFE_METHODS
        else:
            with reading_from_replicas() as reads:
                response = self.get_response(request)
            wrote = reads.wrote
        if wrote:
            seconds = settings.DATABASE_REPLICA_PIN_SECONDS
            until = int(time.time()) + seconds
            _pin_api_client(request, until, seconds)
            # The value is the pin's end, so a cookie kept past max_age still expires.
            response.set_cookie(
                PIN_COOKIE,
                str(until),
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
