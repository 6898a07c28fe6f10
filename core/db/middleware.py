"""Each request's database routing (core.db.router): GET and HEAD may read from a replica
unless the browser wrote in the last DATABASE_REPLICA_PIN_SECONDS; a request that wrote
pins its browser to the primary for that long, so nobody misses their own booking."""

import time

from django.conf import settings

from .router import reading_from_replicas

PIN_COOKIE = "mp_primary"
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _pinned(request):
    try:
        return int(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
    except ValueError:
        return False


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
            # The value is the pin's end, so a cookie kept past max_age still expires.
            response.set_cookie(
                PIN_COOKIE,
                str(int(time.time()) + seconds),
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
