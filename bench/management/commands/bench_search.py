"""Time a fixed mix of realistic searches through the real view; explain the slowest."""

import json
import logging
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import City
from bench.postgres_settings import describe, server_settings
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


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Benchmark catalog search: p50/p95/p99 per query type, EXPLAIN ANALYZE of the slowest."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=60, help="Timed requests per query type.")
        parser.add_argument("--warmup", type=int, default=5)
        parser.add_argument("--json", dest="json_path", help="Also write the results to this file.")

    def handle(self, *args, runs, warmup, json_path=None, **options):
        # Measure what production runs: no per-request log lines, no query recording.
        logging.getLogger("marketplace.request").setLevel(logging.WARNING)
        settings.DEBUG = False
        category = ServiceCategory.objects.filter(parent__isnull=True).order_by("ordering").first()
        city = City.objects.order_by("name").first()
        client = Client()
        rows, slowest = [], None
        self.stdout.write(f"{Service.objects.filter(is_listed=True).count():,} listed services")
        self.stdout.write(describe(server_settings(connection)))
        self.stdout.write(f"{'query':<24}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'results':>10}")
        for name, params in QUERY_MIX.items():
            params = {
                k: v.format(category=category.slug, city=city.slug) for k, v in params.items()
            }
            for _ in range(warmup):
                client.get("/search/", params)
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                response = client.get("/search/", params)
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.status_code
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
        self._explain(client, slowest)
        if json_path:
            with open(json_path, "w") as handle:
                json.dump(rows, handle, indent=2)

    def _explain(self, client, row):
        with CaptureQueriesContext(connection) as queries:
            client.get("/search/", row["params"])
        sql = max(queries.captured_queries, key=lambda q: float(q["time"]))["sql"]
        self.stdout.write(
            f"\nSlowest type: {row['query']} — EXPLAIN (ANALYZE, BUFFERS) of its slowest query:"
        )
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            for (line,) in cursor.fetchall():
                self.stdout.write("  " + line)
