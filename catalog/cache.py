"""Cache keys of the catalog and how they are invalidated.

Public catalog pages are cached under *generation* numbers, one per scope: a change that can
alter what a scope shows bumps that scope's number, so every entry derived from it goes stale
at once without tracking individual keys.

- `listings`: the home page's featured services and figures, category pages. Bumped by
  service and provider changes (catalog.services, catalog/receivers.py). Not by reviews: a
  review changes one service's and one provider's rating, and their pages are not cached, so
  they show it at once; the lists that show ratings (home page, category pages) catch up
  when their entries expire (PAGE_TIMEOUT). See `ratings_changed`.
- `cities`: the city list, bumped only when a provider's cities or verification change.
- Per top-level category (`category_generation`): its category pages and those of every
  category below it. A service written bumps only its own top-level category's number (and
  `listings` only if it is featured, so on the home page), so at a service edit a second the
  other categories' pages stay cached. Category pages are keyed by both numbers: a change
  that bumps `listings` still makes them all stale.
- The category tree has a key of its own.

Every page needs the tree and the city list, and a Redis round trip plus unpickling for
each was most of the home page's time under load (`make bench`). So each process also
keeps what it read (`remembered`): the generations are read from Redis once per request (one
round trip for all scopes), and an entry is reused while its generation is unchanged, for at
most LOCAL_TIMEOUT seconds. A change made in another process shows from the next request on.

The expensive entries (the city list, the home figures) are recomputed by one process at a
time (`stale_while_recomputing`): the others serve the last value while it recomputes.
"""

import threading
import time
from collections.abc import Callable

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction

CATEGORY_TREE_KEY = "catalog:category-tree:v1"
GENERATION_KEY = "catalog:generation"
CITIES_GENERATION_KEY = "catalog:cities:generation"
LISTINGS = "listings"
CITIES = "cities"
_GENERATION_KEYS = {LISTINGS: GENERATION_KEY, CITIES: CITIES_GENERATION_KEY}
TREE_TIMEOUT = 24 * 60 * 60
PAGE_TIMEOUT = 5 * 60
LOCAL_TIMEOUT = 30
# How long one process may hold the right to recompute an entry before another may take it.
RECOMPUTE_LOCK_TIMEOUT = 30
# The last value of an entry, served while it is recomputed.
STALE_TIMEOUT = 7 * 24 * 60 * 60

# name -> (scope, generation, expires at, value): this process's copies of cached entries.
_remembered: dict[str, tuple[str, int, float, object]] = {}
# The generations as this request first read them (None outside requests: always read).
_request = threading.local()


def _fresh_generation() -> int:
    # Time-based, so a generation lost to eviction never restarts at an old number.
    return int(time.time() * 1000)


def _forget(scope: str) -> None:
    for name, entry in list(_remembered.items()):
        if entry[0] == scope:
            _remembered.pop(name, None)


def _started(key: str) -> int:
    """A generation that is missing (evicted, cleared, never set) started afresh: the number
    another process started first, if one did."""
    cache.add(key, _fresh_generation(), timeout=None)
    return cache.get(key) or _fresh_generation()


def _increment(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # evicted: any fresh number is a new generation
        cache.set(key, _fresh_generation(), timeout=None)


def _read_generations() -> dict[str, int]:
    found = cache.get_many(list(_GENERATION_KEYS.values()))
    values = {}
    for scope, key in _GENERATION_KEYS.items():
        value = found.get(key)
        if value is None:
            # Evicted or cleared: nothing this process remembers of it can be trusted either.
            _forget(scope)
            value = _started(key)
        values[scope] = value
    return values


def generation(scope: str = LISTINGS) -> int:
    values = getattr(_request, "generations", None)
    if values is None:
        values = _read_generations()
        if getattr(_request, "active", False):
            _request.generations = values
    return values[scope]


class Stale:
    """A value served while another process recomputes it: used, but not remembered."""

    def __init__(self, value):
        self.value = value


def remembered(name: str, load, scope: str = LISTINGS):
    """`load()` (which reads the shared cache), reused by this process while the scope's
    generation stays the same, for at most LOCAL_TIMEOUT seconds."""
    current = generation(scope)
    entry = _remembered.get(name)
    now = time.monotonic()
    if entry is not None and entry[0] == scope and entry[1] == current and entry[2] > now:
        return entry[3]
    value = load()
    if isinstance(value, Stale):
        return value.value
    _remembered[name] = (scope, current, now + LOCAL_TIMEOUT, value)
    return value


def stale_while_recomputing(name: str, compute: Callable, *, scope: str, timeout: int):
    """The entry `name` of the scope's current generation; on a miss, one process (the one
    that takes the lock) recomputes it while the others serve the last value, wrapped in
    Stale. With no last value at all, every process computes."""
    key = generational_key(name, scope)
    value = cache.get(key)
    if value is not None:
        return value
    stale_key, lock_key = f"catalog:{name}:stale", f"catalog:{name}:lock"
    if not cache.add(lock_key, 1, timeout=RECOMPUTE_LOCK_TIMEOUT):
        stale = cache.get(stale_key)
        if stale is not None:
            return Stale(stale)
        return compute()  # nothing to serve: compute, leave storing to the lock's holder
    try:
        value = compute()
        cache.set(key, value, timeout)
        cache.set(stale_key, value, STALE_TIMEOUT)
    finally:
        cache.delete(lock_key)
    return value


def fresh(value):
    """The value, whether served fresh or Stale."""
    return value.value if isinstance(value, Stale) else value


def _request_began(**kwargs):
    _request.active = True
    _request.generations = None
    _request.categories = None


def _request_ended(**kwargs):
    _request.active = False
    _request.generations = None
    _request.categories = None


request_started.connect(_request_began, dispatch_uid="catalog-cache-request-started")
request_finished.connect(_request_ended, dispatch_uid="catalog-cache-request-finished")


def generational_key(name: str, scope: str = LISTINGS) -> str:
    suffix = "" if scope == LISTINGS else f":{scope}"
    return f"catalog:{name}:g{generation(scope)}{suffix}"


def _bump(scope: str = LISTINGS):
    _request.generations = None
    _increment(_GENERATION_KEYS[scope])


def invalidate_listings():
    """Make every cached public page stale once the current transaction commits."""
    transaction.on_commit(_bump)


def _category_generation_key(root_id: int) -> str:
    return f"catalog:category:{root_id}:generation"


def category_generation(root_id: int) -> int:
    """The generation of a top-level category's pages, read once per request."""
    seen = getattr(_request, "categories", None) or {}
    if root_id in seen:
        return seen[root_id]
    key = _category_generation_key(root_id)
    value = cache.get(key)
    if value is None:
        value = _started(key)
    if getattr(_request, "active", False):
        _request.categories = seen | {root_id: value}
    return value


def invalidate_category_pages(category_ids, *, root_of: Callable[[int], int | None]) -> None:
    """Make the pages of the top-level categories above `category_ids` (and of every category
    below them) stale once the current transaction commits. `root_of` maps a category to its
    top-level one (None: not shown); it runs after the commit, against the tree as it is then,
    so the transaction itself reads no tree."""
    ids = set(category_ids)

    def bump():
        _request.categories = None
        for root_id in sorted({root_of(pk) for pk in ids} - {None}):
            _increment(_category_generation_key(root_id))

    if ids:
        transaction.on_commit(bump)


def invalidate_cities():
    """Make the city list (which cities have a verified provider) stale once the current
    transaction commits."""
    transaction.on_commit(lambda: _bump(CITIES))


def ratings_changed(*, service_id: int, provider_id: int) -> None:
    """A review moved this service's and provider's ratings.

    Nothing cached is keyed by one service or provider: their pages read the database, so
    they show the new figures at once. The lists that show ratings (featured services on the
    home page, category pages) are cached under the listings generation, which a review does
    not bump: at a review a second that made every worker recompute every page at once.
    They show the new rating when their entries expire, within PAGE_TIMEOUT.
    """


def invalidate_category_tree():
    def clear():
        cache.delete(CATEGORY_TREE_KEY)
        _remembered.clear()
        _bump()

    transaction.on_commit(clear)
