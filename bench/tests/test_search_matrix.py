"""The search benchmark's matrix and request stream, on a small catalog."""

import io
import json
import re
import statistics
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command

from accounts.tests.factories import CityFactory
from bench.search_matrix import FILTERS, SORTS, key, search_matrix, title_words, zipf_sequence
from booking.tests.factories import bookable_service
from catalog.forms import SearchForm
from catalog.models import PricingType
from catalog.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

TITLES = [
    "Deep house cleaning",
    "Kitchen sink leak repair",
    "Water heater installation",
    "Window cleaning and gutter repair",
    "Lawn mowing and garden care",
    "Furniture assembly service",
    "Bathroom plumbing repair",
    "Carpet cleaning express",
    "Harpsichord tuning",
    "Electrical wiring inspection",
    "Interior painting service",
    "Moving help and packing",
]


@pytest.fixture
def catalog():
    categories = [CategoryFactory(name=n, slug=n.lower()) for n in ("Cleaning", "Repairs", "Home")]
    cities = [CityFactory(name=n) for n in ("Austin", "Dallas", "Houston")]
    for i, title in enumerate(TITLES):
        bookable_service(
            title=title,
            category=categories[i % 3],
            city=cities[i % 3],
            base_price=Decimal(40 + 30 * i),
            pricing_type=PricingType.HOURLY if i % 2 else PricingType.FIXED,
            rating_average=Decimal("3.5") + Decimal(i % 4) / 2,
        )


@pytest.fixture
def matrix(catalog):
    return search_matrix(seed=7, size=1000)


def test_the_matrix_holds_a_thousand_distinct_valid_searches_the_same_for_a_seed(matrix):
    assert len({key(params) for params in matrix}) == len(matrix) == 1000
    assert search_matrix(seed=7, size=1000) == matrix
    assert search_matrix(seed=8, size=1000) != matrix
    invalid = [params for params in matrix if not SearchForm(params).is_valid()]
    assert invalid == []


def test_the_matrix_has_every_filter_alone_every_sort_typos_two_words_and_deep_pages(matrix):
    alone = {next(iter(params)) for params in matrix if len(params) == 1}
    assert set(FILTERS) <= alone
    assert {params.get("sort") for params in matrix} >= set(SORTS)
    assert any(set(FILTERS) <= set(params) for params in matrix), "every filter together"
    texts = {params["q"] for params in matrix if "q" in params}
    vocabulary = set(title_words())
    assert any(" " in text for text in texts), "a two-word query"
    assert any(text not in vocabulary and " " not in text for text in texts), "a typo"
    assert max(int(params.get("page", 1)) for params in matrix) > 10


def test_the_zipf_stream_repeats_a_few_searches_and_most_are_distinct(catalog):
    matrix = search_matrix(seed=7, size=2000)
    sequence = zipf_sequence(matrix, 2000, seed=7)

    assert zipf_sequence(matrix, 2000, seed=7) == sequence
    counts = Counter(key(params) for params in sequence)
    top = counts.most_common(1)[0][1]
    assert top >= 20 * statistics.median(counts.values())
    assert len(counts) / len(sequence) >= 0.5


def test_bench_search_times_the_matrix_and_explains_the_slowest(catalog):
    out = io.StringIO()
    call_command("bench_search", size=50, runs=1, zipf=100, stdout=out)
    text = out.getvalue()

    assert re.search(r"matrix: 50 combinations.*p50 [\d.]+ ms, p95 [\d.]+ ms, max [\d.]+ ms", text)
    assert len(re.findall(r"^slowest #\d+:", text, re.M)) == 10
    assert "EXPLAIN (ANALYZE, BUFFERS)" in text
    assert re.search(r"target p95 < 30 ms: (met|MISSED)", text)
    assert re.search(r"zipf: 100 requests, \d+ distinct", text)


def test_bench_search_still_times_the_fixed_mix(catalog):
    out = io.StringIO()
    call_command("bench_search", fixed=True, runs=2, warmup=0, stdout=out)
    text = out.getvalue()

    assert re.search(r"^common word\s+[\d.]+", text, re.M)
    assert "Slowest type:" in text


def test_bench_search_times_each_page_with_its_sql_and_reuses_a_matrix_file(catalog, tmp_path):
    matrix, results = tmp_path / "matrix.json", tmp_path / "search.json"
    first = io.StringIO()
    call_command(
        "bench_search",
        size=20,
        warmup=0,
        matrix_path=str(matrix),
        json_path=str(results),
        stdout=first,
    )
    written = json.loads(matrix.read_text())
    document = json.loads(results.read_text())

    assert re.search(r"page time over its SQL time: median [\d.]+x", first.getvalue())
    assert re.search(
        r"target page time <= 2x its SQL time at the median: (met|MISSED)", first.getvalue()
    )
    assert [row["params"] for row in document["timings"]] == written
    assert all(0 < row["sql_ms"] < row["ms"] for row in document["timings"])

    # Another scale's run reads the same searches, whatever its own size option says.
    call_command(
        "bench_search",
        size=50,
        warmup=0,
        matrix_path=str(matrix),
        json_path=str(results),
        stdout=io.StringIO(),
    )
    assert [row["params"] for row in json.loads(results.read_text())["timings"]] == written
