"""The '+ writes' rows: real writes at a steady rate, and hits timed apart from misses."""

import threading

import pytest

from bench import cached_rows, report
from catalog import cache as catalog_cache
from catalog.tests.factories import ServiceFactory


def test_a_steady_rate_makes_its_first_write_at_once_then_one_per_period():
    assert [cached_rows.writes_due(t, 2.0) for t in (0, 0.49, 0.5, 1.0, 10.0)] == [1, 1, 2, 3, 21]
    assert cached_rows.writes_due(5.0, 0) == 0


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_the_writer_keeps_its_rate_and_stops_when_told():
    clock = FakeClock()
    three_written = threading.Event()
    written = []

    def write():
        written.append(clock.now)
        clock.now += 0.5  # each write takes half a period of 1 s at 2 writes/s
        if len(written) == 3:
            three_written.set()

    writer = cached_rows.ListingWrites(write, 2.0, clock=clock).start()
    three_written.wait(timeout=10)
    made = writer.stop()

    assert made == len(written) >= 3
    assert written[:3] == [0.0, 0.5, 1.0]


def test_a_failed_write_fails_the_row():
    def write():
        raise ValueError("database went away")

    writer = cached_rows.ListingWrites(write, 100.0).start()
    writer._thread.join(timeout=10)

    with pytest.raises(RuntimeError, match="write failed"):
        writer.stop()


def test_hits_and_misses_are_told_apart_by_the_write_before_them():
    clock = FakeClock()
    fresh = set()  # paths whose cached page survived the last write
    writes = []

    def write():
        writes.append(clock.now)
        fresh.clear()

    def get(path):
        clock.now += 1
        hit = path in fresh
        fresh.add(path)
        return 2.0 if hit else 40.0

    timings = cached_rows.time_hits_and_misses(
        get, ["/a", "/b", "/c"], write, seconds=5, chunk=2, min_misses=4, clock=clock
    )

    assert timings["misses"] and set(timings["misses"]) == {40.0}
    assert timings["hits"] and set(timings["hits"]) == {2.0}
    assert len(timings["misses"]) >= 4 and len(writes) == len(timings["misses"]) // 2


@pytest.mark.django_db
def test_a_bench_write_makes_the_cached_pages_stale_as_a_providers_edit_does(
    django_capture_on_commit_callbacks,
):
    services = [ServiceFactory() for _ in range(3)]
    write = cached_rows.ProviderWrites([service.pk for service in services])
    # A service's own category pages go stale (#17: not every category's).
    before = {s.category_id: catalog_cache.category_generation(s.category_id) for s in services}

    with django_capture_on_commit_callbacks(execute=True):
        write()

    after = {pk: catalog_cache.category_generation(pk) for pk in before}
    assert any(after[pk] != before[pk] for pk in before)


@pytest.mark.django_db
def test_every_tenth_bench_write_is_a_profile_save_that_also_makes_the_city_list_stale(
    django_capture_on_commit_callbacks,
):
    service = ServiceFactory()
    write = cached_rows.ProviderWrites([service.pk])
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(cached_rows.PROFILE_EVERY - 1):
            write()
    cities_before = catalog_cache.generation(catalog_cache.CITIES)

    with django_capture_on_commit_callbacks(execute=True):
        write()

    assert catalog_cache.generation(catalog_cache.CITIES) != cities_before


def test_a_failing_page_is_counted_as_an_error_not_timed():
    clock = FakeClock()

    def get(path):
        clock.now += 1
        if path == "/broken":
            raise cached_rows.PageError("GET /broken answered 500")
        return 5.0

    timings = cached_rows.time_hits_and_misses(
        get, ["/ok", "/broken"], lambda: None, seconds=4, chunk=2, min_misses=2, clock=clock
    )
    row = report.add_hits_and_misses(report.RowResult("home + writes", *[0] * 8), timings)

    assert set(timings["misses"]) == {5.0} and timings["errors"] == 2 * len(timings["misses"])
    assert row.errors == timings["errors"]
