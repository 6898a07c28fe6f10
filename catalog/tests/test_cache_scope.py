"""What each change invalidates (#17): a review its service's figures only, a provider's
cities the city list; and the expensive entries recomputed by one process at a time."""

from unittest import mock

import pytest
from django.core.cache import cache

from accounts import services as account_services
from accounts.tests.factories import CityFactory, ProviderFactory
from catalog import cache as catalog_cache
from catalog import selectors
from catalog.selectors import SearchFilters
from catalog.services import update_service
from reviews import services as review_services
from reviews.tests.factories import answers, completed_booking

from .factories import CategoryFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the block's transactions leave for after their commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _review(booking, **overrides):
    return review_services.submit_review(
        booking=booking, customer=booking.customer, **answers(**overrides)
    )


def _forget_local_copies():
    # What this process remembers would hide whether the shared cache was kept.
    catalog_cache._remembered.clear()


def _served_city(slug="austin-tx"):
    provider = ProviderFactory()
    provider.provider_profile.cities.add(CityFactory(name="Austin", slug=slug))
    return provider


# --- The city list ---------------------------------------------------------------------------


def test_a_review_leaves_the_cached_city_list_in_place(committed, django_assert_num_queries):
    _served_city()
    booking = completed_booking()
    assert ("austin-tx", "Austin, TX") in selectors.city_choices()

    with committed():
        _review(booking)
    _forget_local_copies()

    with django_assert_num_queries(0):
        assert ("austin-tx", "Austin, TX") in selectors.city_choices()


def test_a_service_edit_leaves_the_cached_city_list_in_place(committed, django_assert_num_queries):
    _served_city()
    selectors.city_choices()

    with committed():
        ServiceFactory()  # created through catalog.services: bumps the listings
    _forget_local_copies()

    with django_assert_num_queries(0):
        selectors.city_choices()


def test_a_city_added_to_a_providers_profile_appears_in_the_city_list(committed):
    provider = _served_city()
    dallas = CityFactory(name="Dallas", slug="dallas-tx")
    assert "dallas-tx" not in dict(selectors.city_choices())

    with committed():
        account_services.update_provider_profile(
            user=provider,
            fields={},
            cities=[*provider.provider_profile.cities.all(), dallas],
        )

    assert "dallas-tx" in dict(selectors.city_choices())


def test_the_city_list_changes_only_after_the_commit(django_capture_on_commit_callbacks):
    provider = _served_city()
    dallas = CityFactory(name="Dallas", slug="dallas-tx")
    selectors.city_choices()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        account_services.update_provider_profile(user=provider, fields={}, cities=[dallas])
    _forget_local_copies()
    assert "dallas-tx" not in dict(selectors.city_choices())

    for callback in callbacks:
        callback()
    assert "dallas-tx" in dict(selectors.city_choices())


# --- A review ----------------------------------------------------------------------------


def test_a_review_shows_at_once_on_its_service_page_and_leaves_other_entries_alone(
    client, committed, django_assert_num_queries
):
    booking = completed_booking()
    other = ServiceFactory()
    other_filters = SearchFilters(category=selectors.category_tree().get(other.category.slug))
    selectors.home_page()
    selectors.browse_services(other_filters)
    listings_generation = catalog_cache.generation()
    cached_before = set(cache.keys("catalog:*"))

    with committed():
        _review(booking, rating=3)

    page = client.get(booking.service.get_absolute_url())
    assert "Rated 3.00 out of 5" in page.content.decode()
    assert catalog_cache.generation() == listings_generation
    assert cached_before <= set(cache.keys("catalog:*"))
    _forget_local_copies()
    with django_assert_num_queries(0):
        selectors.browse_services(other_filters)
        selectors.home_page()


def test_a_review_does_not_bump_the_generation_a_service_edit_does(committed):
    booking = completed_booking()
    before = catalog_cache.generation()

    with committed():
        _review(booking)
    assert catalog_cache.generation() == before

    with committed():
        ServiceFactory(category=CategoryFactory())
    assert catalog_cache.generation() != before


# --- One recompute at a time -------------------------------------------------------------


def _expire(scope):
    cache.incr(catalog_cache._GENERATION_KEYS[scope])
    _forget_local_copies()


def test_while_one_process_recomputes_the_figures_another_serves_the_last_ones(
    django_assert_num_queries,
):
    _served_city()
    first = selectors.home_figures()
    assert first["providers"] == 1
    ProviderFactory()  # a second verified provider, not yet counted
    _expire(catalog_cache.CITIES)
    cache.add("catalog:figures:lock", 1, timeout=30)  # another process is recomputing

    with django_assert_num_queries(0):
        served = selectors.home_figures()

    assert isinstance(served, catalog_cache.Stale)
    assert served.value == first
    cache.delete("catalog:figures:lock")  # it finished without storing (or died)
    assert selectors.home_figures()["providers"] == 2


def test_a_second_call_during_a_recompute_serves_the_stale_city_list(
    django_assert_num_queries,
):
    _served_city()
    first = selectors.city_choices()
    _served_city(slug="dallas-tx")
    _expire(catalog_cache.CITIES)
    seen = {}
    compute = selectors._city_choices

    def slow_compute():
        # The lock's holder is busy: a second caller meanwhile runs no query.
        with django_assert_num_queries(0):
            seen["meanwhile"] = selectors.city_choices()
        return compute()

    with mock.patch.object(selectors, "_city_choices", slow_compute):
        fresh = selectors.city_choices()

    assert seen["meanwhile"] == first
    assert "dallas-tx" in dict(fresh)
    assert cache.get("catalog:cities:lock") is None
    _forget_local_copies()
    assert selectors.city_choices() == fresh  # stored fresh for everyone


def test_without_a_stale_value_a_caller_computes_even_while_the_lock_is_held():
    _served_city()
    cache.add("catalog:cities:lock", 1, timeout=30)

    assert "austin-tx" in dict(selectors.city_choices())


def test_a_service_edit_leaves_the_home_figures_in_place(django_assert_num_queries):
    _served_city()
    figures = selectors.home_figures()

    ServiceFactory(title="Fresh listing")  # bumps the listings, as every service edit does
    _forget_local_copies()

    with django_assert_num_queries(0):
        assert selectors.home_figures() == figures


def test_home_page_with_stale_figures_is_not_kept(django_assert_num_queries):
    selectors.home_page()
    _expire(catalog_cache.LISTINGS)
    _expire(catalog_cache.CITIES)
    cache.add("catalog:figures:lock", 1, timeout=30)

    selectors.home_page()
    assert cache.get(catalog_cache.generational_key("home")) is None
    cache.delete("catalog:figures:lock")
    selectors.home_page()
    assert cache.get(catalog_cache.generational_key("home")) is not None


# --- A service edit ------------------------------------------------------------------------


def test_a_service_edit_makes_its_own_category_pages_stale_and_no_others(
    committed, django_assert_num_queries
):
    plumbing, cleaning = CategoryFactory(name="Plumbing"), CategoryFactory(name="Cleaning")
    leak = CategoryFactory(name="Leaks", parent=plumbing)
    edited = ServiceFactory(category=leak, title="Leak fixing")
    ServiceFactory(category=cleaning, title="Deep clean")
    tree = selectors.category_tree()
    pages = {
        name: SearchFilters(category=tree.get(slug))
        for name, slug in (
            ("plumbing", plumbing.slug),
            ("leaks", leak.slug),
            ("cleaning", cleaning.slug),
        )
    }
    for filters in pages.values():
        selectors.browse_services(filters)
    home_generation = catalog_cache.generation()

    with committed():
        update_service(service=edited, user=edited.provider.user, title="Leak repair")
    _forget_local_copies()

    assert catalog_cache.generation() == home_generation  # not featured: the home page stays
    with django_assert_num_queries(0):
        assert [s.title for s in selectors.browse_services(pages["cleaning"]).services] == [
            "Deep clean"
        ]
    for name in ("plumbing", "leaks"):
        assert [s.title for s in selectors.browse_services(pages[name]).services] == [
            "Leak repair"
        ], name


def test_a_service_moved_to_another_category_leaves_the_old_one_too(committed):
    plumbing, cleaning = CategoryFactory(name="Plumbing"), CategoryFactory(name="Cleaning")
    moved = ServiceFactory(category=plumbing, title="Odd jobs")
    tree = selectors.category_tree()
    old, new = (
        SearchFilters(category=tree.get(plumbing.slug)),
        SearchFilters(category=tree.get(cleaning.slug)),
    )
    assert [s.title for s in selectors.browse_services(old).services] == ["Odd jobs"]
    assert selectors.browse_services(new).services == []

    with committed():
        update_service(service=moved, user=moved.provider.user, category=cleaning)
    _forget_local_copies()

    assert selectors.browse_services(old).services == []
    assert [s.title for s in selectors.browse_services(new).services] == ["Odd jobs"]


def test_editing_a_featured_service_makes_the_home_page_stale(committed):
    featured = ServiceFactory(is_featured=True)
    before = catalog_cache.generation()

    with committed():
        update_service(service=featured, user=featured.provider.user, title="Renamed")

    assert catalog_cache.generation() != before
