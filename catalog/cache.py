"""Cache keys of the catalog and how they are invalidated.

Public catalog pages are cached under a *generation* number: any change that can
alter what customers see bumps it, so every derived entry goes stale at once
without tracking individual keys. The category tree has a key of its own.
"""

import time

from django.core.cache import cache
from django.db import transaction

CATEGORY_TREE_KEY = "catalog:category-tree:v1"
GENERATION_KEY = "catalog:generation"
TREE_TIMEOUT = 24 * 60 * 60
PAGE_TIMEOUT = 5 * 60


def _fresh_generation() -> int:
    # Time-based, so a generation lost to eviction never restarts at an old number.
    return int(time.time() * 1000)


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _fresh_generation(), timeout=None)
        value = cache.get(GENERATION_KEY) or _fresh_generation()
    return value


def generational_key(name: str) -> str:
    return f"catalog:{name}:g{generation()}"


def _bump():
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
        _bump()

    transaction.on_commit(clear)
