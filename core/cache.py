"""The Redis cache as a fast path only: Redis unreachable is a cache miss, not a 500.

`OutageTolerantClient` is the CLIENT_CLASS of django-redis's backend (CACHES["default"]
when REDIS_URL is set); it answers Redis outages instead of raising them:

- A read that cannot reach Redis returns the caller's default (a miss), a write does
  nothing and says so (`add`/`set` return False), so sessions (cached_db: the database is
  the record) and every cached page fall back to the database. Only connection-level
  failures count (`OUTAGE_ERRORS`); a genuine error such as WRONGTYPE still raises.
- "Half-written" is not allowed to outlive the outage. A write or delete that failed may
  have left Redis holding an older value (a session since logged out in the database, a
  catalog generation that was never bumped), so its key is remembered and deleted the
  first time this process reaches Redis again, before anything is read. The memory is per
  process (each process forgets only what it failed to write) and bounded: past
  STALE_KEYS_MAX keys the whole cache (this prefix only, never Huey's queue) is dropped.
- After a failure the process stops trying for RETRY_SECONDS (OPTIONS, default 5): a
  Redis that swallows packets costs one SOCKET_CONNECT_TIMEOUT per few seconds, not one
  per cache call.
- The outage is logged as one warning a minute per process (`OncePerInterval`), and its end
  as one info line.

Callers that must not go on without Redis (allauth's login and password limits,
`core.ratelimit` for a limiter that fails closed) wrap their calls in `strict()`: there an
outage raises `CacheUnavailable`, which `core.unavailable` answers with a 503 and
Retry-After. `watch()` tells a caller whether its calls met an outage (a limiter that fails
open uses it to stop trusting a count it could not read).
"""

import inspect
import logging
import socket
import threading
import time
from contextlib import contextmanager
from functools import wraps

import redis.exceptions
from django.core.cache import caches
from django_redis.client import DefaultClient
from django_redis.exceptions import ConnectionInterrupted

OUTAGE_ERRORS = (
    redis.exceptions.ConnectionError,  # refused, reset, DNS, BusyLoadingError
    redis.exceptions.TimeoutError,
    redis.exceptions.ReadOnlyError,  # a replica after a failover
    socket.timeout,
)
DEFAULT_RETRY_SECONDS = 5
STALE_KEYS_MAX = 10_000
LOG_INTERVAL_SECONDS = 60

logger = logging.getLogger(__name__)


class CacheUnavailable(Exception):
    """Redis could not be reached where going on without it is not allowed (`strict()`)."""


class OncePerInterval(logging.Filter):
    """Let a message (by its format string) through at most once per `interval` seconds;
    the next one that passes says how many were held back."""

    def __init__(self, interval: float = LOG_INTERVAL_SECONDS, clock=time.monotonic):
        super().__init__()
        self.interval = interval
        self.clock = clock
        self._last: dict[str, float] = {}
        self._held: dict[str, int] = {}
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        key = str(record.msg)
        now = self.clock()
        with self._lock:
            last = self._last.get(key)
            if last is not None and now - last < self.interval:
                self._held[key] = self._held.get(key, 0) + 1
                return False
            self._last[key] = now
            held = self._held.pop(key, 0)
        if held:
            record.msg = f"{record.msg} ({held} more like this in the last interval)"
        return True


outage_log = logging.getLogger("core.cache.outage")
outage_log.addFilter(OncePerInterval())

_local = threading.local()


@contextmanager
def strict():
    """Inside, a cache call that cannot reach Redis raises CacheUnavailable."""
    previous = getattr(_local, "strict", False)
    _local.strict = True
    try:
        yield
    finally:
        _local.strict = previous


class _Watch:
    def __init__(self):
        self.started = _failures()

    @property
    def failed(self) -> bool:
        return _failures() > self.started


def _failures() -> int:
    return getattr(_local, "failures", 0)


@contextmanager
def watch():
    """`with watch() as w: ...; w.failed` — did a cache call inside meet an outage?"""
    yield _Watch()


class _Outage:
    """One Redis location's state in this process, shared by its threads' backends."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_until = 0.0  # monotonic; calls before it do not try Redis
        self.down_since = None  # wall-clock start of the current outage, for the log
        self.stale: set[tuple[str, int | None]] = set()  # (key, version) to delete
        self.drop_all = False  # too many stale keys: delete the whole prefix instead


_outages: dict[tuple, _Outage] = {}
_outages_lock = threading.Lock()


def _outage_for(server, prefix) -> _Outage:
    key = (str(server), prefix)
    with _outages_lock:
        return _outages.setdefault(key, _Outage())


def reset_outage_state() -> None:
    """Forget every outage and stale key of this process (tests)."""
    with _outages_lock:
        _outages.clear()


class OutageTolerantClient(DefaultClient):
    """django-redis's client whose outages are misses; see the module's docstring."""

    def __init__(self, server, params, backend):
        super().__init__(server, params, backend)
        options = params.get("OPTIONS", {})
        self.retry_seconds = float(options.get("RETRY_SECONDS", DEFAULT_RETRY_SECONDS))
        self._outage = _outage_for(server, backend.key_prefix)

    # --- outage bookkeeping ---------------------------------------------------------

    def _failed(self, exc, stale_keys=(), version=None, *, everything=False):
        outage = self._outage
        with outage.lock:
            if outage.down_since is None:
                outage.down_since = time.time()
            outage.down_until = time.monotonic() + self.retry_seconds
            outage.drop_all = outage.drop_all or everything
            outage.stale.update((key, version) for key in stale_keys)
            if len(outage.stale) > STALE_KEYS_MAX:
                outage.stale.clear()
                outage.drop_all = True
        _local.failures = _failures() + 1
        outage_log.warning(
            "Cache unavailable, answering without it (reads miss, writes are dropped and "
            "their keys deleted once it is back): %s",
            exc or "not retried yet",
        )
        if getattr(_local, "strict", False):
            raise CacheUnavailable(str(exc or "cache unavailable")) from exc

    def _ready(self) -> bool:
        """May this call try Redis? First deletes what went stale during an outage."""
        outage = self._outage
        if outage.down_until and time.monotonic() < outage.down_until:
            return False
        if outage.stale or outage.drop_all:
            with outage.lock:
                stale, outage.stale = outage.stale, set()
                drop_all, outage.drop_all = outage.drop_all, False
            try:
                if drop_all:
                    DefaultClient.delete_pattern(self, "*")
                by_version: dict = {}
                for key, version in stale:
                    by_version.setdefault(version, []).append(key)
                for version, keys in by_version.items():
                    DefaultClient.delete_many(self, keys, version=version)
            except Exception:
                with outage.lock:
                    outage.stale |= stale
                    outage.drop_all = outage.drop_all or drop_all
                raise
        return True

    def _recovered(self):
        outage = self._outage
        with outage.lock:
            since, outage.down_since, outage.down_until = outage.down_since, None, 0.0
        if since is not None:
            logger.info("Cache reachable again after %.0f s", time.time() - since)

    def _guarded(self, method, args, kwargs, *, default, stale):
        failures = _failures()
        try:
            if self._ready():
                result = method(self, *args, **kwargs)
                # (A call made of others, add of set, may have met the outage inside.)
                if self._outage.down_since is not None and _failures() == failures:
                    self._recovered()
                return result
            exc = None
        except ConnectionInterrupted as error:
            if not isinstance(error.__cause__, OUTAGE_ERRORS):
                raise  # a real error (WRONGTYPE, say), not an outage
            exc = error.__cause__
        except OUTAGE_ERRORS as error:
            exc = error
        bound = _signature(method).bind(self, *args, **kwargs).arguments
        if default == "default":
            default = bound.get("default")
        keys = ()
        if stale == "key":
            keys = [bound["key"]]
        elif stale == "keys":
            keys = list(bound.get("keys") or bound.get("data") or ())
        self._failed(exc, keys, bound.get("version"), everything=stale == "all")
        return list(keys) if default == "keys" else default

    # `lock`, `clear`, `iter_keys` and the raw `get_client()` are left to raise: a lock
    # that was not taken cannot be pretended, and core.unavailable answers with a 503.

    def probe(self) -> bool:
        """Reach Redis now (not waiting for RETRY_SECONDS): True if it answers."""
        with self._outage.lock:
            self._outage.down_until = 0.0
        try:
            with strict():
                self.set("core:cache-probe", "ok", timeout=5)
                return self.get("core:cache-probe") == "ok"
        except CacheUnavailable:
            return False


_signatures = {}


def _signature(method):
    if method not in _signatures:
        _signatures[method] = inspect.signature(method)
    return _signatures[method]


def _guard(name, *, default=None, stale=None):
    method = getattr(DefaultClient, name)

    @wraps(method)
    def guarded(self, *args, **kwargs):
        return self._guarded(method, args, kwargs, default=default, stale=stale)

    return guarded


# What each call answers when Redis cannot be reached ("default": the caller's default,
# "keys": the keys not written), and which keys it leaves stale.
_GUARDS = {
    "get": {"default": "default"},
    "get_many": {"default": {}},
    "has_key": {"default": False},
    "ttl": {},
    "pttl": {},
    "keys": {"default": []},
    "set": {"default": False, "stale": "key"},
    "add": {"default": False, "stale": "key"},
    "set_many": {"default": "keys", "stale": "keys"},
    "delete": {"default": 0, "stale": "key"},
    "delete_many": {"default": 0, "stale": "keys"},
    "delete_pattern": {"default": 0, "stale": "all"},
    # None, not a count: django-ratelimit reads it as "could not count", and core.ratelimit
    # decides per limiter what that means.
    "incr": {"stale": "key"},
    "decr": {"stale": "key"},
    "incr_version": {"stale": "key"},
    "touch": {"default": False, "stale": "key"},
    "expire": {"default": False, "stale": "key"},
    "pexpire": {"default": False, "stale": "key"},
    "expire_at": {"default": False, "stale": "key"},
    "pexpire_at": {"default": False, "stale": "key"},
    "persist": {"default": False, "stale": "key"},
}
for _name, _how in _GUARDS.items():
    setattr(OutageTolerantClient, _name, _guard(_name, **_how))


def reachable(alias: str = "default") -> bool:
    """Does the cache answer now? Raises what a cache other than ours raises."""
    backend = caches[alias]
    client = getattr(backend, "client", None)
    if isinstance(client, OutageTolerantClient):
        return client.probe()
    backend.set("core:cache-probe", "ok", timeout=5)
    return backend.get("core:cache-probe") == "ok"
