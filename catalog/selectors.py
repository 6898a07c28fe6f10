"""Reads on the catalog: what customers may see, already joined for the page."""

import difflib
import json
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from accounts.models import City, ServiceProviderProfile, VerificationStatus

from . import cache as catalog_cache
from .models import SearchTerm, Service, ServiceCategory, ServiceFreeDay
from .search_text import prefix_tsquery, query_words

PAGE_SIZE = 20
# Counting every match of a very common word costs more than it tells anyone.
COUNT_CAP = 1000
MAX_PAGE = COUNT_CAP // PAGE_SIZE


class Sort:
    RELEVANCE = "relevance"
    RATING = "rating"
    PRICE_ASC = "price"
    PRICE_DESC = "-price"
    NEWEST = "newest"
    CHOICES = [
        (RELEVANCE, "Best match"),
        (RATING, "Top rated"),
        (PRICE_ASC, "Price: low to high"),
        (PRICE_DESC, "Price: high to low"),
        (NEWEST, "Newest"),
    ]


ORDERINGS = {
    Sort.RATING: ["-rating_average", "-review_count", "-pk"],
    Sort.PRICE_ASC: ["base_price", "pk"],
    Sort.PRICE_DESC: ["-base_price", "-pk"],
    Sort.NEWEST: ["-created_at", "-pk"],
}


# --- Categories and cities (cached) -----------------------------------------------


@dataclass(frozen=True)
class CategoryNode:
    id: int
    parent_id: int | None
    name: str
    slug: str
    icon: str
    description: str
    depth: int
    children: tuple[int, ...]


@dataclass(frozen=True)
class CategoryTree:
    nodes: dict[int, CategoryNode]
    by_slug: dict[str, int]
    roots: tuple[int, ...]

    def get(self, slug: str) -> CategoryNode | None:
        pk = self.by_slug.get(slug)
        return self.nodes[pk] if pk is not None else None

    def descendant_ids(self, pk: int) -> list[int]:
        """The category and every category below it, at any depth."""
        found, frontier = [pk], [pk]
        while frontier:
            frontier = [child for node in frontier for child in self.nodes[node].children]
            found.extend(frontier)
        return found

    def root_of(self, pk: int) -> int:
        """The top-level category above `pk` (or `pk` itself)."""
        chain = self.ancestors(pk)
        return chain[0].id if chain else pk

    def ancestors(self, pk: int) -> list[CategoryNode]:
        chain, node = [], self.nodes[pk]
        while node.parent_id is not None and node.parent_id in self.nodes:
            node = self.nodes[node.parent_id]
            chain.append(node)
        return list(reversed(chain))

    def flat(self) -> list[CategoryNode]:
        """Every node, parents before their children, in display order."""
        ordered, stack = [], list(reversed(self.roots))
        while stack:
            node = self.nodes[stack.pop()]
            ordered.append(node)
            stack.extend(reversed(node.children))
        return ordered


def _build_tree() -> CategoryTree:
    rows = list(
        ServiceCategory.objects.filter(is_active=True).values(
            "id", "parent_id", "name", "slug", "icon", "description"
        )
    )
    active = {row["id"] for row in rows}
    children: dict[int | None, list[int]] = {}
    for row in rows:  # rows come in display order (Meta.ordering)
        parent = row["parent_id"] if row["parent_id"] in active else None
        if row["parent_id"] is not None and parent is None:
            continue  # under an inactive category: hidden with it
        children.setdefault(parent, []).append(row["id"])
    nodes, stack = {}, [(pk, 0) for pk in children.get(None, [])]
    by_id = {row["id"]: row for row in rows}
    while stack:
        pk, depth = stack.pop()
        row = by_id[pk]
        nodes[pk] = CategoryNode(
            id=pk,
            parent_id=row["parent_id"],
            name=row["name"],
            slug=row["slug"],
            icon=row["icon"],
            description=row["description"],
            depth=depth,
            children=tuple(children.get(pk, [])),
        )
        stack.extend((child, depth + 1) for child in children.get(pk, []))
    return CategoryTree(
        nodes=nodes,
        by_slug={node.slug: pk for pk, node in nodes.items()},
        roots=tuple(children.get(None, [])),
    )


def category_tree() -> CategoryTree:
    """The active category tree, from the cache (rebuilt when a category changes)."""
    return catalog_cache.remembered("category-tree", _shared_category_tree)


def _shared_category_tree() -> CategoryTree:
    tree = cache.get(catalog_cache.CATEGORY_TREE_KEY)
    if tree is None:
        tree = _build_tree()
        cache.set(catalog_cache.CATEGORY_TREE_KEY, tree, catalog_cache.TREE_TIMEOUT)
    return tree


def city_choices() -> list[tuple[str, str]]:
    """(slug, label) of cities where at least one verified provider works, cached under the
    city list's own generation (bumped when a provider's cities or verification change)."""
    return catalog_cache.remembered("cities", _shared_city_choices, scope=catalog_cache.CITIES)


def _shared_city_choices():
    return catalog_cache.stale_while_recomputing(
        "cities", _city_choices, scope=catalog_cache.CITIES, timeout=catalog_cache.TREE_TIMEOUT
    )


def _city_choices() -> list[tuple[str, str]]:
    # One probe per city for its first verified provider (the through table's city index),
    # not a DISTINCT over every provider-city pair: 0.5 ms instead of 500 at 200,000
    # providers. Written as LATERAL ... LIMIT 1 because PostgreSQL turns an EXISTS, LIMIT
    # and all, into a join over everything.
    if not settings.IS_POSTGRES:  # no LATERAL; the embedded default is small anyway
        cities = City.objects.filter(
            providers__verification_status=VerificationStatus.VERIFIED
        ).distinct()
        return [(city.slug, str(city)) for city in cities]
    through = ServiceProviderProfile.cities.through._meta.db_table
    providers = ServiceProviderProfile._meta.db_table
    cities = City.objects.raw(
        f"""
        SELECT c.* FROM {City._meta.db_table} c
        CROSS JOIN LATERAL (
            SELECT 1 FROM {through} t JOIN {providers} p ON p.id = t.serviceproviderprofile_id
            WHERE t.city_id = c.id AND p.verification_status = %s LIMIT 1
        ) AS served
        ORDER BY c.name, c.slug
        """,
        [VerificationStatus.VERIFIED],
    )
    return [(city.slug, str(city)) for city in cities]


# --- Listings ----------------------------------------------------------------------


def public_services() -> QuerySet[Service]:
    """Active services of verified providers, with what a listing card shows.

    The search vector stays in the database: no page shows it, and it is the widest column
    (a quarter of a search page's bytes from the database, parsed into Python for nothing)."""
    return (
        Service.objects.filter(is_listed=True)
        .select_related("provider__user", "category")
        .defer("search_vector")
    )


def services_of_provider(provider: ServiceProviderProfile) -> QuerySet[Service]:
    return Service.objects.filter(provider=provider).select_related("category")


@dataclass
class SearchFilters:
    q: str = ""
    category: CategoryNode | None = None
    city: str = ""
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    min_rating: Decimal | None = None
    pricing_type: str = ""
    # Free at least once on these local days (the provider's), both included.
    free_from: date | None = None
    free_until: date | None = None
    sort: str = Sort.RELEVANCE
    page: int = 1


@dataclass
class SearchResults:
    services: list[Service]
    count: int
    count_is_capped: bool
    page: int
    num_pages: int
    corrected_query: str = ""
    words: list[str] = field(default_factory=list)

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.num_pages


@dataclass(frozen=True)
class QueryWords:
    """The query's words after spelling correction, with how common the rarest one is."""

    words: list[str]
    # Share of listings holding the rarest word, from PostgreSQL's statistics (0 when unknown):
    # at most `share`, at least `share_floor`.
    share: float = 0.0
    share_floor: float = 0.0
    # Rows in the service table, as PostgreSQL last counted them.
    listings: float = 0.0


# The vocabulary check and the word statistics in one round trip. pg_stats keeps the
# search vector's most common lexemes and their frequencies after ANALYZE; a word's share
# is at most the sum of the frequencies of the lexemes it starts (capped at 1: a listing
# may hold several) and at least the largest of them. A word missing there is rarer than
# all of them (0); a stop word, which the search drops too, has no share (NULL).
_CORRECT_AND_MEASURE_SQL = """
WITH stats AS (
    SELECT s.most_common_elems::text::text[] AS lexemes, s.most_common_elem_freqs AS freqs
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = c.relname
    WHERE c.oid = 'catalog_service'::regclass AND s.attname = 'search_vector'
)
SELECT q.w, chosen.word, measured.share, measured.share_floor,
       (SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = 'catalog_service'::regclass)
FROM unnest(%s::text[]) WITH ORDINALITY AS q(w, n)
CROSS JOIN LATERAL (
    SELECT CASE
        WHEN EXISTS (SELECT 1 FROM catalog_searchterm t WHERE t.word LIKE q.w || '%%') THEN q.w
        ELSE coalesce((SELECT t.word FROM catalog_searchterm t WHERE t.word %% q.w
                        ORDER BY similarity(t.word, q.w) DESC, t.word LIMIT 1), q.w)
    END AS word
) AS chosen
CROSS JOIN LATERAL (
    SELECT CASE WHEN stems = '{}' THEN NULL ELSE least(coalesce(sum(m.freq), 0), 1) END,
           CASE WHEN stems = '{}' THEN NULL ELSE coalesce(max(m.freq), 0) END
    FROM (SELECT tsvector_to_array(to_tsvector('english', chosen.word)) AS stems) AS w
    LEFT JOIN (stats CROSS JOIN unnest(stats.lexemes, stats.freqs) AS m(lexeme, freq))
           ON EXISTS (SELECT 1 FROM unnest(w.stems) AS stem WHERE starts_with(m.lexeme, stem))
    GROUP BY w.stems
) AS measured(share, share_floor)
ORDER BY q.n
"""


def correct_query_words(words: list[str]) -> QueryWords:
    """Replace words no listing contains by the closest word that one does ("plumbr" → "plumbing")."""
    if not words:
        return QueryWords(words)
    if settings.IS_POSTGRES:
        with connection.cursor() as cursor:
            cursor.execute(_CORRECT_AND_MEASURE_SQL, [words])
            rows = cursor.fetchall()
        # Stop words (no share) match everything, so they never make a query rarer.
        measured = [(share, floor) for _w, _c, share, floor, _n in rows if share is not None]
        return QueryWords(
            words=[chosen for _word, chosen, *_measures in rows],
            share=float(min((share for share, _floor in measured), default=0)),
            share_floor=float(min((floor for _share, floor in measured), default=0)),
            listings=float(rows[0][4]),
        )
    vocabulary = list(SearchTerm.objects.values_list("word", flat=True))
    corrected = []
    for word in words:
        if any(term.startswith(word) for term in vocabulary):
            corrected.append(word)
        else:
            corrected.append(
                next(iter(difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.6)), word)
            )
    return QueryWords(corrected)


def _text_filter(queryset: QuerySet[Service], words: list[str]) -> QuerySet[Service]:
    if settings.IS_POSTGRES:
        return queryset.filter(search_vector=_tsquery(words))
    for word in words:
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(short_description__icontains=word)
            | Q(description__icontains=word)
            | Q(category__search_terms__icontains=word)
        )
    return queryset


def _tsquery(words: list[str]) -> SearchQuery:
    return SearchQuery(prefix_tsquery(words), search_type="raw", config="english")


def _page_ids(
    matches: QuerySet[Service],
    sort: str,
    offset: int,
    category_ids: list[int] | None = None,
    *,
    few: bool = False,
) -> list[int]:
    """Primary keys of one page, found on the service table alone before anything is joined.

    A category with subcategories is one ordered walk per subcategory's (category, order)
    index, merged: walking the whole catalog's order index and skipping other categories'
    rows fails when a category's prices sit at one end (405,000 rows skipped for "moving,
    most expensive first"), and PostgreSQL 15 cannot walk one index for several categories
    in order by itself."""
    ordering = ORDERINGS.get(sort, ORDERINGS[Sort.RATING])
    if few and settings.IS_POSTGRES:
        # Few matches (the count said so): take them all by whichever index finds them,
        # then sort. A walk in the chosen order would pass over most of the table first.
        found, params = matches.order_by().values(*_CANDIDATE_COLUMNS).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH m AS MATERIALIZED ({found}) SELECT id FROM m"
                f" ORDER BY {_sql_ordering(sort if sort != Sort.RELEVANCE else Sort.RATING)}"
                " LIMIT %s OFFSET %s",
                [*params, PAGE_SIZE, offset],
            )
            return [pk for (pk,) in cursor.fetchall()]
    if not category_ids or len(category_ids) == 1 or not settings.IS_POSTGRES:
        return list(
            matches.order_by(*ordering).values_list("pk", flat=True)[offset : offset + PAGE_SIZE]
        )
    columns = [name.lstrip("-") for name in ordering]
    walks = [
        matches.filter(category_id=category)
        .order_by(*ordering)
        .values_list(*columns)[: offset + PAGE_SIZE]
        for category in category_ids
    ]
    merged = walks[0].union(*walks[1:], all=True).order_by(*ordering)
    return [row[columns.index("pk")] for row in merged[offset : offset + PAGE_SIZE]]


# --- Text search on PostgreSQL ---------------------------------------------------------
#
# Results stop at COUNT_CAP, so a text search needs at most the best-rated COUNT_CAP + 1
# matches: they give the capped count, and every order applies within them (with fewer
# matches than that, every order is exact). There are two ways to find them, and the
# planner picks badly between them because it multiplies the words' frequencies as if
# they were independent ("water" and "heater" travel together: it expects 6,000 matches
# of 930,000 listings and finds 77,000, then reads the whole table to sort them).
# - Walk the rating index and test each listing: cheap when matches are dense, since it
#   stops at the (COUNT_CAP + 1)th; hopeless when they are sparse.
# - Take every match from the GIN index, then sort: cheap when matches are few.
# The rarest word's share of listings bounds the matches from above, so it chooses: the
# walk when it examines fewer listings than the index would fetch, within a window it may
# not pass; the index otherwise, and when the walk ran out of window.
# A walked listing cost about 1.3 times a fetched match at a million listings (3.2 µs
# against 2.5 µs, EXPLAIN ANALYZE of "water heater" both ways).
WALK_COST_RATIO = 1.3
WALK_WINDOW_FACTOR = 3
# A listing passed over in the covering index costs a small part of one looked up.
INDEX_ENTRY_COST = 0.03
# Walks longer than these cost more than taking the matches from the index, whatever the
# estimates say: each listing looked up is a table row read (about 2 µs when cached). A word
# in 7 % of a million listings ("express") is 14,000 lookups walked, 65,000 rows fetched.
MAX_WALK = 30_000
MAX_INDEX_WALK = 300_000
# Nor may a walk pass over more than this share of the listings: the planner would rather
# read the table than the index for it.
MAX_WALK_SHARE = 0.2

_CANDIDATE_COLUMNS = ("id", "rating_average", "review_count", "base_price", "created_at")


def _sql_ordering(sort: str) -> str:
    if sort == Sort.RELEVANCE:
        ordering = ["-rank", *ORDERINGS[Sort.RATING]]
    else:
        ordering = ORDERINGS.get(sort, ORDERINGS[Sort.RATING])
    columns = {"pk": "id"}
    return ", ".join(
        f"{columns.get(name.lstrip('-'), name.lstrip('-'))} {'DESC' if name[0] == '-' else 'ASC'}"
        for name in ordering
    )


def _in_chosen_order(candidates_sql: str, params: list, sort: str) -> tuple[list[int], int]:
    """Ids of the best-rated COUNT_CAP candidates in the chosen order, and how many there were.

    `candidates_sql` yields at most COUNT_CAP + 1 rows of _CANDIDATE_COLUMNS plus `rank`.
    Sorting happens in the database so only ids cross the wire.
    """
    sql = (
        f"WITH c AS MATERIALIZED ({candidates_sql}),"
        " best AS (SELECT * FROM c ORDER BY rating_average DESC, review_count DESC, id DESC"
        " LIMIT %s)"
        f" SELECT id, (SELECT count(*) FROM c) FROM best ORDER BY {_sql_ordering(sort)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, COUNT_CAP])
        rows = cursor.fetchall()
    return [pk for pk, _count in rows], rows[0][1] if rows else 0


def _walk_rating_index(
    matches: QuerySet[Service], words: list[str], window: int, sort: str, free: "FreeDays | None"
) -> tuple[list[int], int]:
    # The walk reads the covering rating index alone (the filters are in it) for the first
    # `window` listings that pass them; only those are looked up to test the words.
    walked = matches.order_by(*ORDERINGS[Sort.RATING]).values(
        "pk", "rating_average", "review_count"
    )[:window]
    inner, params = walked.query.sql_with_params()
    query = prefix_tsquery(words)
    # Availability is probed only for listings that hold the words: most walked listings
    # do not, and each probe is an index lookup of its own.
    free_sql, free_params = free.sql("w.id") if free else ("", [])
    return _in_chosen_order(
        "SELECT w.id, w.rating_average, w.review_count, s.base_price, s.created_at,"
        " ts_rank(s.search_vector, to_tsquery('english', %s)) AS rank"
        # One lookup per walked listing (OFFSET 0 keeps it so): joined any other way, the
        # planner may read the whole table to hash it.
        f" FROM ({inner}) AS w(id, rating_average, review_count)"
        " CROSS JOIN LATERAL (SELECT * FROM catalog_service x WHERE x.id = w.id OFFSET 0) AS s"
        f" WHERE s.search_vector @@ to_tsquery('english', %s){free_sql}"
        # The walk's own order, so the lookups stop at the (COUNT_CAP + 1)th match.
        " ORDER BY w.rating_average DESC, w.review_count DESC, w.id DESC LIMIT %s",
        [query, *params, query, *free_params, COUNT_CAP + 1],
        sort,
    )


def _every_match_by_index(
    matches: QuerySet[Service], words: list[str], sort: str, free: "FreeDays | None"
) -> tuple[list[int], int]:
    found = _text_filter(matches, words)
    if free is not None:
        found = found.filter(free.exists())
    found = found.order_by().values(*_CANDIDATE_COLUMNS)
    inner, params = found.query.sql_with_params()
    # MATERIALIZED keeps the planner from walking the rating index instead.
    return _in_chosen_order(
        f"WITH m AS MATERIALIZED ({inner})"
        " SELECT best.*, ts_rank(s.search_vector, to_tsquery('english', %s)) AS rank"
        " FROM (SELECT * FROM m ORDER BY rating_average DESC, review_count DESC, id DESC"
        " LIMIT %s) AS best CROSS JOIN LATERAL (SELECT search_vector FROM catalog_service x"
        " WHERE x.id = best.id OFFSET 0) AS s",
        [*params, prefix_tsquery(words), COUNT_CAP + 1],
        sort,
    )


def _share_passing(matches: QuerySet[Service], listings: float) -> float:
    """The planner's estimate of the share of listings that pass the other filters.

    One EXPLAIN (planning only, a fraction of a millisecond): PostgreSQL's statistics know
    how rare a category, a city or a price range is, and with the filters combined."""
    sql, params = matches.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return min(1.0, plan[0]["Plan"]["Plan Rows"] / max(listings, 1.0))


def _text_matches(
    matches: QuerySet[Service],
    query: QueryWords,
    sort: str,
    *,
    narrowed: bool = False,
    free: "FreeDays | None" = None,
) -> tuple[list[int], int]:
    """The best-rated COUNT_CAP text matches' ids in the chosen order, and the capped count.

    `narrowed`: other filters apply too. A walk tests every listing it passes against all of
    them, so how far it must go depends on the filters as much as on the words: a common
    word in a rare category is a sparse match, found by the index."""
    passing = _share_passing(matches, query.listings) if narrowed and query.share else 1.0
    # Of the listings that pass the other filters and hold the words, the share free then.
    free_share = 1.0
    if free is not None and query.share:
        with_free = _share_passing(matches.filter(free.exists()), query.listings)
        free_share = min(1.0, with_free / max(passing, 1e-9))
    # The walk looks up listings that pass the filters until COUNT_CAP + 1 hold the words
    # (and are free, when asked), passing over the others in the index; the index path
    # fetches every match.
    hit_rate = query.share * free_share
    looked_up = (COUNT_CAP + 1) / hit_rate if hit_rate else float("inf")
    passed_over = looked_up / max(passing, 1e-9)
    walk_cost = looked_up * WALK_COST_RATIO + passed_over * INDEX_ENTRY_COST
    if (
        looked_up <= MAX_WALK
        and passed_over <= min(MAX_INDEX_WALK, query.listings * MAX_WALK_SHARE)
        and walk_cost < query.share * passing * query.listings
    ):
        # Sized from the lower bound, so an overestimated share doesn't shrink it.
        window = int(
            WALK_WINDOW_FACTOR * (COUNT_CAP + 1) / max(query.share_floor * free_share, 1e-9)
        )
        window = min(window, 3 * MAX_WALK, int(query.listings * passing * MAX_WALK_SHARE))
        if len(query.words) > 1:
            # The rarest word's share only bounds how often all the words meet: two common
            # words may rarely share a listing ("level prep"). Past twice the lookups the
            # rarest word alone would need, the index is the better bet.
            window = min(window, int(2 * looked_up))
        ids, count = _walk_rating_index(
            matches, query.words, max(window, COUNT_CAP + 1), sort, free
        )
        if count > COUNT_CAP:
            return ids, count
    return _every_match_by_index(matches, query.words, sort, free)


@dataclass(frozen=True)
class FreeDays:
    """Listings with a start still bookable on a local day from `first` to `last`: an index
    probe per listing (the free days' primary key covers `book_by`), or, for a rare day, the
    day's rows first (freeday_day_idx)."""

    first: date
    last: date

    def exists(self) -> Exists:
        return Exists(
            ServiceFreeDay.objects.filter(
                service_id=OuterRef("pk"),
                day__gte=self.first,
                day__lte=self.last,
                book_by__gte=timezone.now(),
            )
        )

    def sql(self, listing_id: str) -> tuple[str, list]:
        """The same test as SQL on `listing_id`, for the hand-written text walk."""
        return (
            f" AND EXISTS (SELECT 1 FROM {ServiceFreeDay._meta.db_table} f"
            f" WHERE f.service_id = {listing_id} AND f.day >= %s AND f.day <= %s"
            " AND f.book_by >= %s)",
            [self.first, self.last, timezone.now()],
        )


def search_services(filters: SearchFilters) -> SearchResults:
    """Listed services matching the filters, one page of them, with a (capped) total."""
    matches = Service.objects.filter(is_listed=True)
    category_ids = None
    if filters.category is not None:
        category_ids = category_tree().descendant_ids(filters.category.id)
        matches = matches.filter(category_id__in=category_ids)
    if filters.city:
        city_id = City.objects.filter(slug=filters.city).values_list("pk", flat=True).first()
        # An unknown city (renamed or removed since the page was served) holds no listing;
        # 0 is no city's id, and unlike .none() it still makes SQL for the text search.
        matches = matches.filter(city_ids__holds=city_id or 0)
    if filters.min_price is not None:
        matches = matches.filter(base_price__gte=filters.min_price)
    if filters.max_price is not None:
        matches = matches.filter(base_price__lte=filters.max_price)
    if filters.min_rating is not None:
        matches = matches.filter(rating_average__gte=filters.min_rating)
    if filters.pricing_type:
        matches = matches.filter(pricing_type=filters.pricing_type)
    free = None
    if filters.free_from is not None:
        free = FreeDays(filters.free_from, filters.free_until or filters.free_from)

    words = query_words(filters.q)
    query = correct_query_words(words)
    ordered_ids = None
    if words and settings.IS_POSTGRES:
        others = replace(filters, free_from=None, free_until=None)
        narrowed = others != SearchFilters(q=filters.q, sort=filters.sort, page=filters.page)
        ordered_ids, count = _text_matches(
            matches, query, filters.sort, narrowed=narrowed, free=free
        )
    else:
        if free is not None:
            matches = matches.filter(free.exists())
        if words:
            matches = _text_filter(matches, query.words)
        count = matches.order_by()[: COUNT_CAP + 1].count()
    num_pages = max(1, -(-min(count, COUNT_CAP) // PAGE_SIZE))
    page = min(max(filters.page, 1), num_pages)
    offset = (page - 1) * PAGE_SIZE
    if ordered_ids is not None:
        ids = ordered_ids[offset : offset + PAGE_SIZE]
    else:
        few = count <= COUNT_CAP
        ids = _page_ids(matches, filters.sort, offset, category_ids, few=few) if count else []
    # The cards show the cities each provider serves (#18).
    by_id = public_services().prefetch_related("provider__cities").in_bulk(ids)
    return SearchResults(
        services=[by_id[pk] for pk in ids if pk in by_id],
        count=min(count, COUNT_CAP),
        count_is_capped=count > COUNT_CAP,
        page=page,
        num_pages=num_pages,
        corrected_query=" ".join(query.words) if query.words != words else "",
        words=words,
    )


# --- Home page ----------------------------------------------------------------------


def marketplace_figures() -> dict:
    providers = ServiceProviderProfile.objects.filter(
        verification_status=VerificationStatus.VERIFIED
    )
    totals = providers.aggregate(
        providers=Count("pk", distinct=True), bookings_done=Sum("completed_bookings_count")
    )
    return {
        "providers": totals["providers"],
        "cities": len(city_choices()),
        "bookings_done": totals["bookings_done"] or 0,
    }


def home_figures():
    """marketplace_figures, cached until a provider's verification or cities change (the city
    list's scope: what moves the providers and cities counts; the jobs-done count may lag by
    PAGE_TIMEOUT), not at every service edit; while one process recomputes them the others
    serve the last figures (wrapped in catalog_cache.Stale)."""
    return catalog_cache.stale_while_recomputing(
        "figures",
        marketplace_figures,
        scope=catalog_cache.CITIES,
        timeout=catalog_cache.PAGE_TIMEOUT,
    )


def home_page() -> dict:
    """Featured services and figures for the home page, cached until the catalog changes."""
    return catalog_cache.remembered("home", _shared_home_page)


def _shared_home_page():
    key = catalog_cache.generational_key("home")
    data = cache.get(key)
    if data is None:
        figures = home_figures()
        data = {
            "featured": list(
                public_services()
                .filter(is_featured=True)
                .prefetch_related("provider__cities")  # on the cards (#18)
                .order_by("-created_at")[:8]
            ),
            "figures": catalog_cache.fresh(figures),
        }
        if isinstance(figures, catalog_cache.Stale):
            return catalog_cache.Stale(data)  # not kept: the next request looks again
        cache.set(key, data, catalog_cache.PAGE_TIMEOUT)
    return data


def browse_services(filters: SearchFilters) -> SearchResults:
    """search_services, cached until the catalog changes when only a category, the order and
    the page are chosen: a category page as everyone sees it."""
    browsing = filters.category is not None and filters == SearchFilters(
        category=filters.category, sort=filters.sort, page=filters.page
    )
    if not browsing:
        return search_services(filters)
    category, sort, page = filters.category.id, filters.sort, filters.page
    root = catalog_cache.category_generation(category_tree().root_of(category))
    key = catalog_cache.generational_key(f"browse:{category}:{sort}:{page}:c{root}")
    results = cache.get(key)
    if results is None:
        results = search_services(filters)
        cache.set(key, results, catalog_cache.PAGE_TIMEOUT)
    return results
