"""Every kind of search reads a small part of the listing table, whatever the filters.

On a few thousand listings PostgreSQL rightly reads whole tables and indexes (it is cheaper
than seeking), which says nothing about a million. So the listings here are enough for the
planner to choose as it does at scale (LISTINGS, generated in one statement), and each
statement a search sends is run again under EXPLAIN ANALYZE: no scan of the listing table
may examine more than a fifth of it, sequentially or through an index. At 1,000,000 listings that fifth is
what turned 15 ms searches into 1.5 s ones (#17); docs/search.md has the measured figures.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import CityFactory, ProviderFactory
from catalog.models import Service
from catalog.selectors import SearchFilters, category_tree, search_services

from .factories import CategoryFactory

pytestmark = pytest.mark.django_db

LISTINGS = 40_000
# Examining more listings than this in one scan counts as reading the table.
MOST = LISTINGS // 5
INDEX_ONLY_DISCOUNT = 10


@pytest.fixture
def listings():
    """LISTINGS services over two category trees, eight cities, both pricing types."""
    home = CategoryFactory(name="Home")
    leaves = [CategoryFactory(name=name, parent=home) for name in ("Plumbing", "Wiring", "Paint")]
    garden = CategoryFactory(name="Garden")
    cities = [CityFactory(name=f"City {n}") for n in range(8)]
    providers = [ProviderFactory().provider_profile for _ in range(10)]
    category_ids = [leaf.pk for leaf in leaves] + [garden.pk]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Service._meta.db_table}
                (provider_id, category_id, title, slug, short_description, description,
                 pricing_type, base_price, currency, duration_minutes, is_active, is_featured,
                 offers_quotes, is_listed, rating_average, review_count, completed_bookings_count,
                 created_at, updated_at, city_ids, search_vector)
            SELECT (%s::bigint[])[1 + n %% 10], (%s::bigint[])[1 + n %% 4],
                   w.title, 'listing-' || n, '', '',
                   CASE WHEN n %% 2 = 0 THEN 'HOURLY' ELSE 'FIXED' END,
                   -- prices that sit with the category and the pricing type, as real ones
                   -- do: it is what makes a walk in price order skip most of the table
                   CASE WHEN n %% 4 = 3 THEN 500 + (n * 37) %% 400
                        WHEN n %% 2 = 0 THEN 20 + (n * 37) %% 80
                        ELSE 100 + (n * 37) %% 300 END,
                   'USD', 60, true, n %% 500 = 0,
                   false, true, (300 + n %% 200) / 100.0, n %% 50, 0,
                   now() - n * interval '1 hour', now(),
                   ARRAY[(%s::int[])[1 + n %% 8], (%s::int[])[1 + (n / 8) %% 8]],
                   to_tsvector('english', w.title)
            FROM generate_series(1, %s) AS n
            -- fifty words (xaa to xej), each in one listing of fifty, as most query words are
            CROSS JOIN LATERAL (
                SELECT 'x' || translate(lpad((n * 7 %% 50)::text, 2, '0'), '0123456789',
                                        'abcdefghij') || ' service ' || n AS title
            ) AS w
            """,
            [
                [p.pk for p in providers],
                category_ids,
                [c.pk for c in cities],
                [c.pk for c in cities],
                LISTINGS,
            ],
        )
        # What autovacuum does in production: move fresh GIN entries from the pending list
        # into the index, where the planner can count on them.
        for index in ("service_search_vector_idx", "service_listed_cities_idx"):
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        cursor.execute("ANALYZE catalog_service")
    return {"home": home, "leaf": leaves[0], "city": cities[3]}


def families(listings):
    tree = category_tree()
    home, leaf = tree.get(listings["home"].slug), tree.get(listings["leaf"].slug)
    city = listings["city"].slug
    price = {"min_price": Decimal("100"), "max_price": Decimal("200")}
    combos = {"everything": {}, "deep page": {"page": 40}}
    for sort in ("rating", "price", "-price", "newest"):
        combos[f"sorted by {sort}"] = {"sort": sort}
        combos[f"root category by {sort}"] = {"category": home, "sort": sort}
        combos[f"leaf category by {sort}"] = {"category": leaf, "sort": sort}
        combos[f"city by {sort}"] = {"city": city, "sort": sort}
        combos[f"hourly by {sort}"] = {"pricing_type": "HOURLY", "sort": sort}
        combos[f"price range by {sort}"] = {**price, "sort": sort}
        combos[f"rating 4+ by {sort}"] = {"min_rating": Decimal("4"), "sort": sort}
        combos[f"everything at once by {sort}"] = {
            "category": home,
            "city": city,
            "pricing_type": "FIXED",
            "min_rating": Decimal("3.5"),
            **price,
            "sort": sort,
        }
    for sort in ("relevance", "rating", "price", "newest"):
        combos[f"text by {sort}"] = {"q": "xah", "sort": sort}
        combos[f"common text by {sort}"] = {"q": "service", "sort": sort}
        combos[f"text in a category by {sort}"] = {"q": "xbc", "category": home, "sort": sort}
        combos[f"common text in a city by {sort}"] = {"q": "service", "city": city, "sort": sort}
        combos[f"text, hourly, priced by {sort}"] = {
            "q": "xda",
            "pricing_type": "HOURLY",
            **price,
            "sort": sort,
        }
    return combos


def listing_scans(sql: str) -> list[dict]:
    """The scans of the listing table in the statement's plan, as run."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        (plan,) = cursor.fetchone()
    found, stack = [], [plan[0]["Plan"]]
    while stack:
        node = stack.pop()
        if node.get("Relation Name") == "catalog_service":
            found.append(node)
        stack.extend(node.get("Plans", []))
    return found


def whole_table_reads(scans: list[dict]) -> list[str]:
    problems = []
    for scan in scans:
        examined = scan["Actual Loops"] * (
            scan["Actual Rows"]
            + scan.get("Rows Removed by Filter", 0)
            + scan.get("Rows Removed by Index Recheck", 0)
        )
        if scan["Node Type"] == "Index Only Scan":
            # A covering index tests filters on its own entries: 0.16 µs a listing at a
            # million, against about 3 µs for a table row (EXPLAIN ANALYZE, #17). Here the
            # rows are too fresh for the visibility map (only VACUUM sets it, and it cannot
            # run in a test's transaction), so it visits the table too; autovacuum's tables
            # do not.
            examined //= INDEX_ONLY_DISCOUNT
        # A scan that stops early (a LIMIT met) is fine, sequential or not.
        if examined > MOST:
            index = scan.get("Index Name", "the table")
            problems.append(f"{scan['Node Type']} on {index} examined {examined:,} listings")
    return problems


def test_no_search_reads_the_whole_listing_table(listings):
    problems = {}
    for name, filters in families(listings).items():
        with CaptureQueriesContext(connection) as captured:
            results = search_services(SearchFilters(**filters))
        statements = [
            query["sql"]
            for query in captured.captured_queries
            if "catalog_service" in query["sql"] and not query["sql"].startswith("EXPLAIN")
        ]
        assert statements, name
        for sql in statements:
            if found := whole_table_reads(listing_scans(sql)):
                problems[name] = (found, sql)
        assert results.count or name.startswith("text"), f"{name} found nothing to page through"
    assert not problems, "\n\n".join(f"{name}: {detail}" for name, detail in problems.items())
