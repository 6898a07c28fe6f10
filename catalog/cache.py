"""Cache keys of the catalog and how they are invalidated.

Public catalog pages are cached under a *generation* number: any change that can
alter what customers see bumps it, so every derived entry goes stale at once
without tracking individual keys. The category tree has a key of its own.

Every page needs the tree and the city list, and a Redis round trip plus unpickling for
each was most of the home page's time under load (`make bench`). So each process also
keeps what it read (`remembered`): the generation is read from Redis once per request, and
an entry is reused while the generation is unchanged, for at most LOCAL_TIMEOUT seconds.
A change made in another process shows from the next request on.
"""

import threading
import time

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction

CATEGORY_TREE_KEY = "catalog:category-tree:v1"
GENERATION_KEY = "catalog:generation"
TREE_TIMEOUT = 24 * 60 * 60
PAGE_TIMEOUT = 5 * 60
LOCAL_TIMEOUT = 30

# name -> (generation, expires at, value): this process's copies of cached entries.
_remembered: dict[str, tuple[int, float, object]] = {}
# The generation as this request first read it (None outside requests: always read).
_request = threading.local()


def _fresh_generation() -> int:
    # Time-based, so a generation lost to eviction never restarts at an old number.
    return int(time.time() * 1000)


def generation() -> int:
    value = getattr(_request, "generation", None)
    if value is not None:
        return value
    value = cache.get(GENERATION_KEY)
    if value is None:
        # Evicted or cleared: nothing this process remembers can be trusted either.
        _remembered.clear()
        cache.add(GENERATION_KEY, _fresh_generation(), timeout=None)
        value = cache.get(GENERATION_KEY) or _fresh_generation()
    if getattr(_request, "active", False):
        _request.generation = value
    return value


def remembered(name: str, load):
    """`load()` (which reads the shared cache), reused by this process while the
    generation stays the same, for at most LOCAL_TIMEOUT seconds."""
    current = generation()
    entry = _remembered.get(name)
    now = time.monotonic()
    if entry is not None and entry[0] == current and entry[1] > now:
        return entry[2]
    value = load()
    _remembered[name] = (current, now + LOCAL_TIMEOUT, value)
    return value


def _request_began(**kwargs):
    _request.active = True
    _request.generation = None


def _request_ended(**kwargs):
    _request.active = False
    _request.generation = None


request_started.connect(_request_began, dispatch_uid="catalog-cache-request-started")
request_finished.connect(_request_ended, dispatch_uid="catalog-cache-request-finished")


def generational_key(name: str) -> str:
    return f"catalog:{name}:g{generation()}"


def _bump():
    _request.generation = None
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # evicted: any fresh number is a new generation
        cache.set(GENERATION_KEY, _fresh_generation(), timeout=None)


def invalidate_listings():
    """Make every cached public page stale once the current transaction commits."""
    transaction.on_commit(_bump)


def invalidate_category_tree():
    def clear():
        cache.delete(CATEGORY_TREE_KEY)
        _remembered.clear()
        _bump()

    transaction.on_commit(clear)
