"""The cached rows (home, category pages) with the writes that invalidate them.

What makes a home or category page miss is the catalog's *listings* generation
(catalog/cache.py), which service and provider changes bump once they commit; a review bumps
nothing shared (docs/search.md, "What a review invalidates"). So the benchmark makes real
writes through the same services a provider's edits go through:

- `ListingWrites` runs them at a steady rate in a thread while a row is under load;
- `time_hits_and_misses` times, from one connection, the first request after a write (a
  miss: the page is rebuilt) apart from the same request again (a hit).

The rate: DEFAULT_WRITES_PER_S, one write a second, the rate the issue names ("as a review a
second would"), now that the writes which invalidate are service and profile saves. At a
million listings that is every listing saved every 12 days, well above what providers do
(a few edits a year), so the misses it causes are a pessimistic share, not a flattering one.
One write in PROFILE_EVERY is a provider's profile save, which also makes the city list stale.
"""

import http.client
import random
import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from django.db import connection

from accounts.services import update_provider_profile
from catalog.models import Service
from catalog.services import update_service

DEFAULT_WRITES_PER_S = 1.0
PROFILE_EVERY = 10
# Requests timed per write when hits and misses are timed apart: each path of the chunk is
# requested right after the write (a miss), then again (a hit).
CHUNK = 10
MIN_MISSES = 20


def writes_due(elapsed_s: float, rate_per_s: float) -> int:
    """How many writes a steady `rate_per_s` has made `elapsed_s` seconds after starting
    (the first at once)."""
    if rate_per_s <= 0 or elapsed_s < 0:
        return 0
    return int(elapsed_s * rate_per_s) + 1


class ProviderWrites:
    """Real writes of the kind that invalidate the cached pages: a provider saving one of
    their services unchanged, and every PROFILE_EVERY-th time their business profile."""

    def __init__(self, service_ids: list[int], *, seed: int = 2026):
        if not service_ids:
            raise ValueError("No services to write: is the benchmark database seeded?")
        self.service_ids = service_ids
        self.rng = random.Random(seed)
        self.count = 0

    def __call__(self) -> None:
        service = Service.objects.select_related("provider__user").get(
            pk=self.rng.choice(self.service_ids)
        )
        self.count += 1
        user = service.provider.user
        if self.count % PROFILE_EVERY == 0:
            update_provider_profile(
                user=user, fields={}, cities=list(service.provider.cities.all())
            )
        else:
            update_service(service=service, user=user)


class ListingWrites:
    """`write()` called at a steady rate in a thread, between `start()` and `stop()`.

    The thread has its own database connection (closed when it stops). A write that falls
    behind is caught up at once, so the rate holds over the run.
    """

    def __init__(
        self,
        write: Callable[[], None],
        rate_per_s: float,
        *,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.write = write
        self.rate_per_s = rate_per_s
        self.clock = clock
        self.done = 0
        self.errors: list[BaseException] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.started_at = self.stopped_at = None

    def start(self) -> "ListingWrites":
        if self.rate_per_s <= 0:
            return self
        self.started_at = self.clock()
        self._thread = threading.Thread(target=self._run, name="bench-writes", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                due = writes_due(self.clock() - self.started_at, self.rate_per_s)
                while self.done < due and not self._stop.is_set():
                    self.write()
                    self.done += 1
                # Until the next write is due, or stop() is called.
                next_at = self.started_at + self.done / self.rate_per_s
                self._stop.wait(max(0.0, next_at - self.clock()))
        except BaseException as error:  # reported by stop(): a failed write fails the row
            self.errors.append(error)
        finally:
            connection.close()

    def stop(self) -> int:
        """Stop writing; the number of writes made. Raises what a write raised."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.stopped_at = self.clock()
        if self.errors:
            raise RuntimeError("A benchmark write failed") from self.errors[0]
        return self.done

    @property
    def achieved_per_s(self) -> float | None:
        if self.started_at is None or self.stopped_at is None:
            return None
        seconds = self.stopped_at - self.started_at
        return round(self.done / seconds, 2) if seconds > 0 else None


class PageError(RuntimeError):
    """A page answered something other than 200."""


def http_getter(base_url: str) -> Callable[[str], float]:
    """A GET of a path on the benchmark's server, as wrk sends it (a new connection, the
    proxy's X-Forwarded-Proto); returns the milliseconds to the last byte of the answer."""
    parts = urlsplit(base_url)

    def get(path: str) -> float:
        client = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            started = time.perf_counter()
            client.request("GET", path, headers={"X-Forwarded-Proto": "https"})
            answer = client.getresponse()
            answer.read()
            elapsed = (time.perf_counter() - started) * 1000
        finally:
            client.close()
        if answer.status != 200:
            raise PageError(f"GET {path} answered {answer.status}")
        return elapsed

    return get


def time_hits_and_misses(
    get: Callable[[str], float],
    paths: list[str],
    write: Callable[[], None],
    *,
    seconds: float,
    chunk: int = CHUNK,
    min_misses: int = MIN_MISSES,
    clock: Callable[[], float] = time.monotonic,
) -> dict:
    """From one connection: a write, then each path of the next chunk once (every one a
    miss: the write made its cached page stale), then the same paths again (hits); repeated
    for `seconds`, and until `min_misses` misses are timed. Paths are taken in turn. A
    request that fails (another status than 200, a socket error or timeout) is counted in
    "errors", not timed."""
    if not paths:
        raise ValueError("No paths to time.")
    timings = {"hits": [], "misses": [], "errors": 0}

    def timed(kind: str, path: str) -> None:
        try:
            timings[kind].append(get(path))
        except (PageError, OSError):
            timings["errors"] += 1

    started, position = clock(), 0
    while clock() - started < seconds or len(timings["misses"]) < min_misses:
        if timings["errors"] > min_misses:
            break  # the server is failing: the errors say so, no need to go on
        batch = [paths[(position + offset) % len(paths)] for offset in range(chunk)]
        batch = list(dict.fromkeys(batch))  # a list shorter than a chunk: each path once
        position += len(batch)
        write()
        for path in batch:
            timed("misses", path)
        for path in batch:
            timed("hits", path)
    return timings
