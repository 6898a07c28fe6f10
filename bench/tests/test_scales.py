"""scripts/bench-search's comparison of bench_search runs at several scales (bench/scales.py),
on made-up documents: no million rows needed."""

import pytest

from bench import scales
from bench.management.commands.bench_search import page_and_sql

SEARCHES = [
    {},
    {"q": "leak"},
    {"q": "drain"},
    {"category": "plumbing", "sort": "price"},
    {"category": "cleaning", "sort": "price"},
]


def document(ms: list[float], sql_ms: list[float]) -> dict:
    rows = [
        {"params": params, "ms": page, "sql_ms": sql}
        for params, page, sql in zip(SEARCHES, ms, sql_ms, strict=True)
    ]
    return {
        "p50_ms": sorted(ms)[len(ms) // 2],
        "p95_ms": scales.percentile(ms, 0.95),
        "max_ms": max(ms),
        **page_and_sql(rows),
        "timings": rows,
    }


def test_each_combination_of_filters_is_followed_from_the_smallest_scale_to_the_largest():
    comparison = scales.compare(
        {
            10_000: document([5, 6, 7, 10, 12], [2, 3, 3, 5, 6]),
            1_000_000: document([6, 7, 8, 60, 80], [3, 3, 4, 50, 70]),
        }
    )

    families = {row["family"]: row for row in comparison["families"]}
    assert set(families) == {"(none)", "q", "category+sort"}
    assert families["category+sort"]["p95_ms"] == {10_000: 12, 1_000_000: 80}
    assert families["category+sort"]["growth"] == round(80 / 12, 2)
    assert comparison["families"][0]["family"] == "category+sort"  # fastest-growing first
    assert comparison["fastest_growing"][0]["params"] == {"category": "cleaning", "sort": "price"}


def test_targets_say_whether_p95_grew_more_than_twice_and_pages_are_mostly_sql():
    grew = scales.compare(
        {
            10_000: document([5, 6, 7, 10, 12], [4] * 5),
            1_000_000: document([6, 7, 8, 20, 25], [12] * 5),
        }
    )
    flat = scales.compare(
        {
            10_000: document([5, 6, 7, 10, 12], [1] * 5),
            1_000_000: document([5, 6, 7, 11, 14], [1] * 5),
        }
    )

    def met(comparison):
        return {check["target"].split(" at ")[0]: check["met"] for check in comparison["targets"]}

    assert met(grew)["p95"] is False  # 25 ms over 12 ms
    assert met(flat)["p95"] is True
    assert met(flat)["page time <= 2x its SQL time"] is False  # pages of 5-14 ms, 1 ms of SQL
    assert met(grew)["page time <= 2x its SQL time"] is True


def test_scales_other_than_the_stated_ones_are_judged_and_say_so():
    comparison = scales.compare(
        {10_000: document([5] * 5, [3] * 5), 100_000: document([6] * 5, [3] * 5)}
    )

    first = comparison["targets"][0]
    assert first["target"] == (
        "p95 at 100,000 <= 2x p95 at 10,000 (stated for 10,000 and 1,000,000)"
    )
    assert first["met"] is True
    printed = scales.format_comparison(comparison)
    assert "met    p95 at 100,000 <= 2x p95 at 10,000" in printed
    assert printed.splitlines()[1].split()[:3] == ["10,000", "5.0", "5.0"]


def test_one_scale_is_nothing_to_compare():
    with pytest.raises(ValueError, match="at least two"):
        scales.compare({10_000: document([5] * 5, [3] * 5)})


def test_searches_by_availability_are_judged_on_their_own_p95_at_the_large_scale():
    def with_availability(ms_available):
        doc = document([5, 6, 7, 10, 12], [4] * 5)
        extra = [
            {"params": {"available": "week", "q": str(n)}, "ms": ms, "sql_ms": ms}
            for n, ms in enumerate(ms_available)
        ]
        return {**doc, "timings": doc["timings"] + extra}

    fast = scales.compare(
        {10_000: with_availability([5] * 20), 1_000_000: with_availability([20] * 19 + [90])}
    )
    slow = scales.compare(
        {10_000: with_availability([5] * 20), 1_000_000: with_availability([20] * 18 + [150] * 2)}
    )

    def availability(comparison):
        return next(c for c in comparison["targets"] if c["target"].startswith("searches by"))

    assert availability(fast)["met"] is True
    assert availability(slow)["met"] is False
    assert availability(slow)["measured"] == "150 ms over 20 searches"
