"""What customers find: text, typos, filters, sorting and paging, on real PostgreSQL."""

from decimal import Decimal

import pytest

from accounts.tests.factories import CityFactory, ProviderFactory
from catalog.models import PricingType
from catalog.selectors import PAGE_SIZE, SearchFilters, Sort, category_tree, search_services

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
