"""Health checks.

`/healthz` (readiness): 200 only when the database and the cache answer, 503 otherwise, so
a load balancer can tell a Redis outage. Most pages still answer during one (core/cache.py
makes Redis a fast path), but this check says the site is degraded.

`livez` (liveness): 200 whenever the process answers at all, touching neither the database
nor Redis, so an orchestrator does not restart healthy web processes because Redis is down.

Both answer HEAD like GET (without the body). `/healthz` also reports each read replica
(`"replicas": {"replica_1": {"state": "ok" | "lagging" | "down", "lag_seconds": ...}}`)
without failing on one: reads go to the primary while a replica is unusable.
"""

import logging

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.cache import outage_log, reachable
from core.db.router import replica_states

logger = logging.getLogger(__name__)


def _database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any driver error means "not healthy", which is the answer we report
        logger.exception("healthz: database check failed")
        return False


def _cache_ok():
    try:
        ok = reachable()
    except Exception as exc:  # any client error means "not healthy", which is the answer
        outage_log.warning("healthz: cache check failed: %r", exc)
        return False
    if not ok:
        outage_log.warning("healthz: cache unreachable")
    return ok


@never_cache
@require_safe
def healthz(request):
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "unavailable", "checks": checks}
    replicas = replica_states()
    if replicas:
        # Reported, not counted: reads fall back to the primary while a replica is down
        # or lagging, so the site still answers.
        body["replicas"] = replicas
    return JsonResponse(body, status=200 if healthy else 503)


@never_cache
@require_safe
def livez(request):
    return JsonResponse({"status": "ok"})
