"""What customers find: text, typos, filters, sorting and paging, on real PostgreSQL."""

from decimal import Decimal

import pytest
from django.db import connection

from accounts.limits import MAX_CITIES_PER_PROVIDER
from accounts.services import update_provider_profile
from accounts.tests.factories import CityFactory, ProviderFactory
from catalog import selectors
from catalog.models import PricingType, Service
from catalog.selectors import (
    PAGE_SIZE,
    SearchFilters,
    Sort,
    category_tree,
    correct_query_words,
    search_services,
)
from core.errors import InvalidInput

from .factories import CategoryFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def titles(**filters):
    return [service.title for service in search_services(SearchFilters(**filters)).services]


def test_text_matches_title_description_and_category():
    plumbing = CategoryFactory(name="Plumbing")
    ServiceFactory(title="Leak detection", category=plumbing)
    ServiceFactory(title="Kitchen help", description="We also unblock a leaky tap.")
    ServiceFactory(title="Garden design")

    assert set(titles(q="leak")) == {"Leak detection", "Kitchen help"}
    assert titles(q="plumbing") == ["Leak detection"]


def test_word_beginnings_match_whole_words():
    ServiceFactory(title="Plumbing emergency", category=CategoryFactory(name="Repairs"))

    assert titles(q="plumb") == ["Plumbing emergency"]


def test_every_word_must_match():
    ServiceFactory(title="Kitchen deep clean")
    ServiceFactory(title="Kitchen renovation")

    assert titles(q="kitchen clean") == ["Kitchen deep clean"]


def test_a_misspelt_word_is_corrected_to_a_listed_word():
    ServiceFactory(title="Emergency callout", category=CategoryFactory(name="Plumbing"))

    results = search_services(SearchFilters(q="plumbr"))

    assert [s.title for s in results.services] == ["Emergency callout"]
    assert results.corrected_query == "plumbing"


def test_title_matches_rank_above_description_matches():
    ServiceFactory(title="General handyman", description="Includes some tiling work.")
    ServiceFactory(title="Bathroom tiling")

    assert titles(q="tiling") == ["Bathroom tiling", "General handyman"]


def test_category_filter_includes_descendants_at_any_depth():
    top = CategoryFactory(name="Electrical")
    mid = CategoryFactory(name="Wiring", parent=top)
    leaf = CategoryFactory(name="Rewiring", parent=mid)
    ServiceFactory(title="Deep", category=leaf)
    ServiceFactory(title="Top", category=top)
    ServiceFactory(title="Elsewhere")
    tree = category_tree()

    assert set(titles(category=tree.get(top.slug))) == {"Deep", "Top"}
    assert titles(category=tree.get(leaf.slug)) == ["Deep"]


def test_city_filter_keeps_providers_serving_that_city():
    austin, denver = CityFactory(name="Austin"), CityFactory(name="Denver", state="CO")
    local = ProviderFactory().provider_profile
    local.cities.add(austin, denver)
    far = ProviderFactory().provider_profile
    far.cities.add(denver)
    ServiceFactory(provider=local, title="Local")
    ServiceFactory(provider=far, title="Far")

    assert titles(city=austin.slug) == ["Local"]
    assert set(titles(city=denver.slug)) == {"Local", "Far"}


def test_a_provider_who_starts_serving_a_city_is_found_there_and_not_after_leaving_it():
    austin, denver = CityFactory(name="Austin"), CityFactory(name="Denver", state="CO")
    provider = ProviderFactory().provider_profile
    provider.cities.add(denver)
    ServiceFactory(provider=provider, title="Moving help")
    assert titles(city=austin.slug) == []

    update_provider_profile(user=provider.user, fields={}, cities=[austin, denver])
    assert titles(city=austin.slug) == ["Moving help"]

    update_provider_profile(user=provider.user, fields={}, cities=[austin])
    assert titles(city=denver.slug) == []
    assert titles(city=austin.slug) == ["Moving help"]


def test_an_unknown_city_finds_nothing_with_or_without_words():
    ServiceFactory(title="Moving help")

    assert titles(city="atlantis") == []
    assert titles(q="moving", city="atlantis") == []  # was an EmptyResultSet: a 500


def test_price_range_rating_and_pricing_type_filters():
    ServiceFactory(
        title="Cheap", base_price=Decimal("40"), rating_average=Decimal("4.9"), review_count=3
    )
    ServiceFactory(
        title="Mid", base_price=Decimal("100"), rating_average=Decimal("3.5"), review_count=2
    )
    ServiceFactory(title="Hourly", base_price=Decimal("60"), pricing_type=PricingType.HOURLY)
    ServiceFactory(title="Dear", base_price=Decimal("900"))

    assert set(titles(min_price=Decimal("50"), max_price=Decimal("100"))) == {"Mid", "Hourly"}
    assert titles(min_rating=Decimal("4")) == ["Cheap"]
    assert titles(pricing_type=PricingType.HOURLY) == ["Hourly"]
    assert titles(
        min_price=Decimal("50"), pricing_type=PricingType.FIXED, max_price=Decimal("500")
    ) == ["Mid"]


def test_sort_orders():
    ServiceFactory(
        title="B", base_price=Decimal("50"), rating_average=Decimal("4.0"), review_count=1
    )
    ServiceFactory(
        title="A", base_price=Decimal("80"), rating_average=Decimal("4.8"), review_count=1
    )
    ServiceFactory(title="C", base_price=Decimal("20"))

    assert titles(sort=Sort.PRICE_ASC) == ["C", "B", "A"]
    assert titles(sort=Sort.PRICE_DESC) == ["A", "B", "C"]
    assert titles(sort=Sort.RATING) == ["A", "B", "C"]
    assert titles(sort=Sort.NEWEST) == ["C", "A", "B"]


def test_pagination_edges():
    ServiceFactory.create_batch(PAGE_SIZE + 3, title="Window cleaning")

    first = search_services(SearchFilters(q="window", page=1))
    last = search_services(SearchFilters(q="window", page=2))
    beyond = search_services(SearchFilters(q="window", page=7))

    assert (first.count, first.num_pages, len(first.services)) == (PAGE_SIZE + 3, 2, PAGE_SIZE)
    assert len(last.services) == 3 and not last.has_next and last.has_previous
    assert beyond.page == 2  # a page past the end shows the last one
    assert {s.pk for s in first.services}.isdisjoint({s.pk for s in last.services})


def test_text_that_is_only_symbols_lists_everything():
    ServiceFactory(title="Anything")

    assert titles(q="!!! %%% '") == ["Anything"]


def analyze_listings():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_service")


def test_word_statistics_say_how_common_the_rarest_word_is():
    ServiceFactory.create_batch(6, title="Window cleaning")
    ServiceFactory.create_batch(2, title="Window fitting")
    ServiceFactory.create_batch(2, title="Garden design")
    analyze_listings()

    assert correct_query_words(["window"]).share == pytest.approx(0.8)
    assert correct_query_words(["window", "clean"]).share == pytest.approx(0.6)
    assert correct_query_words(["harpsichord"]).share == 0
    assert correct_query_words(["window"]).listings == 10


def test_a_stop_word_does_not_make_a_query_rare():
    ServiceFactory.create_batch(6, title="Window cleaning")
    ServiceFactory.create_batch(4, title="Garden design")
    analyze_listings()

    assert correct_query_words(["the", "window"]).share == pytest.approx(0.6)
    assert correct_query_words(["the"]).share == 0


@pytest.fixture
def dense_listings(monkeypatch):
    """Twelve "pipe" listings among fifteen, with distinct ratings, prices and ages."""
    monkeypatch.setattr(selectors, "COUNT_CAP", 8)
    for n in range(12):
        ServiceFactory(
            title=f"Pipe job {n}",
            description="pipe " * (n % 4),  # relevance differs too
            base_price=Decimal(40 + (n * 37) % 100),
            rating_average=Decimal(f"{3 + (n * 7 % 12) / 10:.1f}"),
            review_count=n,
        )
    ServiceFactory.create_batch(3, title="Garden design")
    analyze_listings()


def search_each_way(monkeypatch, *, walk_is_enough=True, **filters):
    """The same search through the rating-index walk and through the GIN index."""
    calls = []
    for name in ("_walk_rating_index", "_every_match_by_index"):
        real = getattr(selectors, name)
        monkeypatch.setattr(
            selectors, name, lambda *a, real=real, name=name: calls.append(name) or real(*a)
        )
    monkeypatch.setattr(selectors, "WALK_COST_RATIO", 0)
    monkeypatch.setattr(selectors, "INDEX_ENTRY_COST", 0)
    monkeypatch.setattr(selectors, "MAX_WALK_SHARE", 10)  # fifteen listings: any walk is long
    walked = search_services(SearchFilters(**filters))
    walk_calls, calls[:] = list(calls), []
    monkeypatch.setattr(selectors, "WALK_COST_RATIO", 1e9)
    indexed = search_services(SearchFilters(**filters))
    assert walk_calls[0] == "_walk_rating_index"
    assert ("_every_match_by_index" not in walk_calls) == walk_is_enough
    assert calls == ["_every_match_by_index"]
    return walked, indexed


def expected_page(sort, page, page_size):
    """What the page must hold: the best-rated COUNT_CAP "pipe" listings in the chosen order."""
    best = sorted(
        Service.objects.filter(title__startswith="Pipe"),
        key=lambda s: (s.rating_average, s.review_count, s.pk),
        reverse=True,
    )[: selectors.COUNT_CAP]
    keys = {
        Sort.RATING: lambda s: (-s.rating_average, -s.review_count, -s.pk),
        Sort.PRICE_ASC: lambda s: (s.base_price, s.pk),
        Sort.PRICE_DESC: lambda s: (-s.base_price, -s.pk),
        Sort.NEWEST: lambda s: (-s.created_at.timestamp(), -s.pk),
    }
    ordered = sorted(best, key=keys[sort])
    return [s.pk for s in ordered][(page - 1) * page_size : page * page_size]


@pytest.mark.parametrize("sort", [choice for choice, _label in Sort.CHOICES])
@pytest.mark.parametrize("page", [1, 2])
def test_dense_words_find_the_same_page_whichever_index_is_walked(
    dense_listings, monkeypatch, sort, page
):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 3)

    walked, indexed = search_each_way(monkeypatch, q="pipe", sort=sort, page=page)

    assert [s.pk for s in walked.services] == [s.pk for s in indexed.services]
    assert len(walked.services) == 3
    if sort != Sort.RELEVANCE:  # relevance: test_title_matches_rank_above_description_matches
        assert [s.pk for s in walked.services] == expected_page(sort, page, 3)
    assert (walked.count, walked.count_is_capped) == (indexed.count, True) == (8, True)


def test_a_walk_that_runs_out_of_window_falls_back_to_the_index(dense_listings, monkeypatch):
    monkeypatch.setattr(selectors, "WALK_WINDOW_FACTOR", 0.1)

    walked, indexed = search_each_way(
        monkeypatch, walk_is_enough=False, q="pipe job", max_price=Decimal("90")
    )

    assert [s.pk for s in walked.services] == [s.pk for s in indexed.services]
    assert walked.count == indexed.count == len(titles(q="pipe", max_price=Decimal("90")))
    assert walked.count > 0


def test_text_search_sort_orders():
    ServiceFactory(
        title="Pipe B", base_price=Decimal("50"), rating_average=Decimal("4.0"), review_count=1
    )
    ServiceFactory(
        title="Pipe A", base_price=Decimal("80"), rating_average=Decimal("4.8"), review_count=1
    )
    ServiceFactory(title="Pipe C", base_price=Decimal("20"))
    ServiceFactory(title="Garden design", base_price=Decimal("10"))

    assert titles(q="pipe", sort=Sort.PRICE_ASC) == ["Pipe C", "Pipe B", "Pipe A"]
    assert titles(q="pipe", sort=Sort.PRICE_DESC) == ["Pipe A", "Pipe B", "Pipe C"]
    assert titles(q="pipe", sort=Sort.RATING) == ["Pipe A", "Pipe B", "Pipe C"]
    assert titles(q="pipe", sort=Sort.NEWEST) == ["Pipe C", "Pipe A", "Pipe B"]


def test_a_common_word_in_a_rare_category_is_taken_from_the_index_not_walked(
    dense_listings, monkeypatch
):
    rare = CategoryFactory(name="Chimneys")
    ServiceFactory(title="Pipe chimney sweep", category=rare)
    ServiceFactory.create_batch(20, title="Pipe fitting")  # "pipe" is everywhere but there
    analyze_listings()
    calls = []
    for name in ("_walk_rating_index", "_every_match_by_index"):
        real = getattr(selectors, name)
        monkeypatch.setattr(
            selectors, name, lambda *a, real=real, name=name: calls.append(name) or real(*a)
        )
    monkeypatch.setattr(selectors, "MAX_WALK_SHARE", 10)  # a walk is allowed on its cost

    plain = search_services(SearchFilters(q="pipe"))
    walked_calls, calls[:] = list(calls), []
    in_category = search_services(SearchFilters(q="pipe", category=category_tree().get(rare.slug)))

    assert walked_calls == ["_walk_rating_index"]
    assert calls == ["_every_match_by_index"]
    assert [s.title for s in in_category.services] == ["Pipe chimney sweep"]
    assert plain.count_is_capped


def test_a_provider_may_serve_up_to_fifty_cities_and_more_is_refused_by_name():
    cities = [CityFactory(name=f"Place {n}") for n in range(MAX_CITIES_PER_PROVIDER + 1)]
    provider = ProviderFactory().provider_profile
    ServiceFactory(provider=provider, title="Moving help")

    update_provider_profile(user=provider.user, fields={}, cities=cities[:-1])
    with pytest.raises(InvalidInput) as refused:
        update_provider_profile(user=provider.user, fields={}, cities=cities)

    assert refused.value.errors == {"cities": ["Choose at most 50 cities."]}
    assert provider.cities.count() == MAX_CITIES_PER_PROVIDER
    assert titles(city=cities[0].slug) == ["Moving help"]
