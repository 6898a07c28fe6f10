"""Time searches through the real view; explain the slowest.

By default every combination of the generated matrix (bench/search_matrix.py) is sent
once, alone, and the figures are over the whole matrix; `--zipf N` also sends N requests
with a skewed popularity; `--fixed` times the old fixed query mix (QUERY_MIX, which the
load benchmark's search row still names).
"""

import json
import logging
import os
import statistics
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import City
from bench.postgres_settings import describe, server_settings
from bench.search_matrix import search_matrix, zipf_sequence
from catalog.forms import SearchForm
from catalog.models import Service, ServiceCategory
from catalog.selectors import search_services

QUERY_MIX = {
    "common word": {"q": "cleaning"},
    "rare word": {"q": "harpsichord"},
    "typo": {"q": "plumbr"},
    "two words": {"q": "water heater"},
    "category+city+price": {
        "category": "{category}",
        "city": "{city}",
        "min_price": "50",
        "max_price": "200",
    },
    "sort by rating": {"sort": "rating"},
    "text sorted by price": {"q": "repair", "sort": "price"},
    "deep page": {"q": "service", "page": "50"},
}


# From the issue (#17): over the whole matrix, each combination alone.
TARGET_P95_MS = 30
TARGET_MAX_MS = 100
MAX_PAGE_OVER_SQL = 2.0
SLOWEST = 10


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = (
        "Benchmark catalog search over a generated matrix of searches: p50/p95/max, the "
        "slowest combinations with their plans (--fixed: the old per-type query mix)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", type=int, default=1000, help="Combinations in the matrix.")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--runs",
            type=int,
            help="Timed requests per combination (matrix: 1, the median is kept) "
            "or per query type (--fixed: 60).",
        )
        parser.add_argument("--warmup", type=int, default=5)
        parser.add_argument(
            "--zipf", type=int, default=0, help="Also send N requests with Zipf-like popularity."
        )
        parser.add_argument(
            "--fixed", action="store_true", help="Time the fixed query mix (QUERY_MIX) instead."
        )
        parser.add_argument("--json", dest="json_path", help="Also write the results to this file.")
        parser.add_argument(
            "--matrix",
            dest="matrix_path",
            help="Read the matrix from this JSON file, or generate it and write it there when "
            "the file does not exist (scripts/bench-search sends every scale the same one).",
        )

    def handle(
        self,
        *args,
        size=1000,
        seed=2026,
        runs=None,
        warmup=5,
        zipf=0,
        fixed=False,
        json_path=None,
        matrix_path=None,
        **options,
    ):
        # Measure what production runs: no per-request log lines, no query recording.
        logging.getLogger("marketplace.request").setLevel(logging.WARNING)
        settings.DEBUG = False
        self.client = Client()
        self.stdout.write(f"{Service.objects.filter(is_listed=True).count():,} listed services")
        self.stdout.write(describe(server_settings(connection)))
        if fixed:
            result = self._fixed(runs=runs or 60, warmup=warmup)
        else:
            matrix = load_or_build_matrix(matrix_path, seed=seed, size=size)
            result = self._matrix(matrix, seed=seed, runs=runs or 1, warmup=warmup)
            if zipf:
                result["zipf"] = self._zipf(zipf, size=size, seed=seed)
        if json_path:
            with open(json_path, "w") as handle:
                json.dump(result, handle, indent=2)

    def _time(self, params) -> float:
        return self._time_with_sql(params)[0]

    def _time_with_sql(self, params) -> tuple[float, float]:
        """The page's milliseconds, and those of them spent in SQL (sent, run, fetched)."""
        in_sql = 0.0

        def timed(execute, sql, sql_params, many, context):
            nonlocal in_sql
            started = time.perf_counter()
            try:
                return execute(sql, sql_params, many, context)
            finally:
                in_sql += time.perf_counter() - started

        with connection.execute_wrapper(timed):
            started = time.perf_counter()
            response = self.client.get("/search/", params)
            elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (response.status_code, params)
        return elapsed, in_sql * 1000

    def _matrix(self, matrix, *, seed, runs, warmup):
        for params in matrix[:warmup]:
            self.client.get("/search/", params)
        rows = []
        for params in matrix:
            timings = sorted(self._time_with_sql(params) for _ in range(runs))
            page_ms, sql_ms = timings[len(timings) // 2]  # the median run
            rows.append({"params": params, "ms": round(page_ms, 2), "sql_ms": round(sql_ms, 2)})
        timings = [row["ms"] for row in rows]
        figures = {"combinations": len(rows), "runs": runs, "seed": seed, **_latency(timings)}
        figures |= page_and_sql(rows)
        self.stdout.write(
            f"matrix: {len(rows):,} combinations, {runs} run(s) each, alone: {_said(figures)}"
        )
        self.stdout.write(
            f"page time over its SQL time: median {figures['page_over_sql_median']:.2f}x "
            f"(SQL p50 {figures['sql_p50_ms']} ms of page p50 {figures['p50_ms']} ms)"
        )
        targets = {
            f"p95 < {TARGET_P95_MS} ms": figures["p95_ms"] < TARGET_P95_MS,
            f"max < {TARGET_MAX_MS} ms": figures["max_ms"] < TARGET_MAX_MS,
            f"page time <= {MAX_PAGE_OVER_SQL:g}x its SQL time at the median": (
                figures["page_over_sql_median"] <= MAX_PAGE_OVER_SQL
            ),
        }
        for target, met in targets.items():
            self.stdout.write(f"target {target}: {'met' if met else 'MISSED'}")
        slowest = sorted(rows, key=lambda row: row["ms"], reverse=True)[:SLOWEST]
        self.stdout.write(f"\nThe {len(slowest)} slowest combinations:")
        for rank, row in enumerate(slowest, 1):
            self.stdout.write(f"slowest #{rank}: {row['ms']:>8.1f} ms  ?{urlencode(row['params'])}")
        for rank, row in enumerate(slowest, 1):
            row["plan"] = self._explain(row["params"], f"slowest #{rank} ({row['ms']:.1f} ms)")
        return {
            "mode": "matrix",
            **figures,
            "targets": targets,
            "slowest": slowest,
            "timings": rows,
        }

    def _zipf(self, n, *, size, seed):
        # The distinct share is at most matrix size / n: draw from a matrix at least n large.
        matrix = search_matrix(seed=seed, size=max(size, n))
        sequence = zipf_sequence(matrix, n, seed=seed)
        timings = [self._time(params) for params in sequence]
        distinct = len({tuple(sorted(params.items())) for params in sequence})
        figures = {
            "requests": n,
            "distinct": distinct,
            "distinct_share": round(distinct / n, 3),
            **_latency(timings),
        }
        self.stdout.write(
            f"\nzipf: {n:,} requests, {distinct:,} distinct ({figures['distinct_share']:.0%}): "
            f"{_said(figures)}"
        )
        return figures

    def _fixed(self, *, runs, warmup):
        category = ServiceCategory.objects.filter(parent__isnull=True).order_by("ordering").first()
        city = City.objects.order_by("name").first()
        rows, slowest = [], None
        self.stdout.write(f"{'query':<24}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'results':>10}")
        for name, params in QUERY_MIX.items():
            params = {
                k: v.format(category=category.slug, city=city.slug) for k, v in params.items()
            }
            for _ in range(warmup):
                self.client.get("/search/", params)
            timings = [self._time(params) for _ in range(runs)]
            form = SearchForm(params)
            form.is_valid()
            results = search_services(form.filters())
            row = {
                "query": name,
                "params": params,
                "p50_ms": round(statistics.median(timings), 1),
                "p95_ms": round(percentile(timings, 0.95), 1),
                "p99_ms": round(percentile(timings, 0.99), 1),
                "results": f"{results.count}{'+' if results.count_is_capped else ''}",
            }
            rows.append(row)
            self.stdout.write(
                f"{name:<24}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['p99_ms']:>9}{row['results']:>10}"
            )
            if slowest is None or row["p95_ms"] > slowest["p95_ms"]:
                slowest = row
        self._explain(slowest["params"], f"Slowest type: {slowest['query']}")
        return rows

    def _explain(self, params, label) -> list[str]:
        """EXPLAIN (ANALYZE, BUFFERS) of the request's slowest query, printed and returned."""
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            self.client.get("/search/", params)
        elapsed = (time.perf_counter() - started) * 1000
        slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
        self.stdout.write(
            f"\n{label} — sent again: {elapsed:.1f} ms, {len(queries)} queries, the slowest "
            f"{float(slowest['time']) * 1000:.1f} ms; its EXPLAIN (ANALYZE, BUFFERS):"
        )
        sql = slowest["sql"]
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = [line for (line,) in cursor.fetchall()]
        for line in plan:
            self.stdout.write("  " + line)
        return plan


def load_or_build_matrix(path, *, seed, size) -> list[dict]:
    """The matrix from `path` when it exists (made by an earlier run, maybe at another
    scale, so scales are compared on the same searches), else generated (and written there)."""
    if path and os.path.exists(path):
        with open(path) as handle:
            return json.load(handle)
    matrix = search_matrix(seed=seed, size=size)
    if path:
        with open(path, "w") as handle:
            json.dump(matrix, handle)
    return matrix


def page_and_sql(rows: list[dict]) -> dict:
    """How a page's time compares with the SQL it ran: each combination's page time over its
    SQL time, at the median (a combination that ran no SQL counts as 1x: nothing to compare)."""
    ratios = [row["ms"] / row["sql_ms"] if row["sql_ms"] else 1.0 for row in rows]
    return {
        "sql_p50_ms": round(statistics.median(row["sql_ms"] for row in rows), 1),
        "page_over_sql_median": round(statistics.median(ratios), 2),
    }


def _latency(timings: list[float]) -> dict:
    """p50, p95 and max of a list of milliseconds, as the report writes them."""
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "max_ms": round(max(timings), 1),
    }


def _said(figures: dict) -> str:
    return f"p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, max {figures['max_ms']} ms"
