"""Service page views, counted cheaply: one Redis hash per UTC day (`insights:views:<day>`,
a field per service id, HINCRBY), flushed to ServiceDay.views by a Huey periodic job.

Counting never fails a page: with Redis down a view is not counted. Without Redis (the
embedded default's local-memory cache) the view is added to the database row directly.
"""

import logging
import re
from datetime import date, timedelta

import redis.exceptions
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

logger = logging.getLogger(__name__)

# Kept three days: the flush reads today and yesterday; one day more covers a missed night.
KEEP_SECONDS = 3 * 24 * 3600
# What announces itself as a robot, a crawler or a link previewer; browsers do not.
BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|preview|fetch|monitor|curl|wget|python-requests|httpx|"
    r"headlesschrome|lighthouse|facebookexternalhit|embedly|http-client",
    re.IGNORECASE,
)


def views_key(day: date) -> str:
    return cache.make_key(f"insights:views:{day.isoformat()}")


def redis_client():
    """The cache's Redis connection, or None when the cache is not Redis."""
    client = getattr(cache, "client", None)
    get_client = getattr(client, "get_client", None)
    return get_client(write=True) if get_client else None


def is_counted(request, service) -> bool:
    """A person's full-page view of a service that is not their own."""
    if request.method != "GET" or (request.htmx and not request.htmx.boosted):
        return False
    agent = request.headers.get("User-Agent", "")
    if not agent or BOT_USER_AGENT.search(agent):
        return False
    user = request.user
    own = user.is_authenticated and user.is_provider and service.provider.user_id == user.pk
    return not own


def count_view(service_id: int, provider_id: int) -> None:
    """Add one view of the service today (UTC); a Redis error drops it, logged."""
    today = timezone.now().date()
    client = redis_client()
    if client is None:
        _count_in_database(service_id, provider_id, today)
        return
    key = views_key(today)
    try:
        pipeline = client.pipeline(transaction=False)
        pipeline.hincrby(key, str(service_id), 1)
        pipeline.expire(key, KEEP_SECONDS)
        pipeline.execute()
    except redis.exceptions.RedisError as error:
        logger.warning("service view not counted: %s", error)


def _count_in_database(service_id: int, provider_id: int, day: date) -> None:
    from .models import ServiceDay

    with transaction.atomic():
        row, created = ServiceDay.objects.get_or_create(
            service_id=service_id, day=day, defaults={"provider_id": provider_id, "views": 1}
        )
        if not created:
            ServiceDay.objects.filter(pk=row.pk).update(views=F("views") + 1)


def counted_days(now=None) -> list[date]:
    today = (now or timezone.now()).date()
    return [today - timedelta(days=1), today]


def read_counts(day: date) -> dict[int, int]:
    """The counters of `day`: {service id: views}; empty without Redis or when it is down."""
    client = redis_client()
    if client is None:
        return {}
    try:
        counts = client.hgetall(views_key(day))
    except redis.exceptions.RedisError as error:
        logger.warning("service views not read: %s", error)
        return {}
    return {int(service): int(views) for service, views in counts.items()}
