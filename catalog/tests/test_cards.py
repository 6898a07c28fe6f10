"""Cards with photos, cities and next free times (#18) cost the same number of queries for
one listing as for a page of them, on search, category, service and provider pages."""

import pytest
from django.urls import reverse

from accounts.tests.factories import CityFactory
from booking.tests.conftest import now  # noqa: F401  (a frozen Monday morning)
from booking.tests.factories import bookable_service
from catalog.tests.factories import CategoryFactory
from photos.tests.factories import photo_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now")]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def listings(count, category):
    """`count` bookable services of as many providers, each with a photo and two cities."""
    made = []
    for _ in range(count):
        service = bookable_service(category=category, title="Tile work")
        service.provider.cities.add(CityFactory())
        photo_for(provider_user=service.provider.user, service=service)
        photo_for(provider_user=service.provider.user)  # their own photo too
        made.append(service)
    return made


def _queries(client, url, django_assert_max_num_queries, data=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.parametrize("page_of", ["search", "category"])
def test_a_page_of_cards_costs_the_same_queries_as_one(client, page_of):
    one, many = CategoryFactory(), CategoryFactory()
    listings(1, one)
    listings(6, many)

    def cold(category):
        from django.core.cache import cache

        cache.delete_pattern("*booking:next-free:*")  # the next free times computed afresh
        if page_of == "search":
            return _queries(client, reverse("catalog:search"), None, {"category": category.slug})
        return _queries(client, category.get_absolute_url(), None)

    cold(one)
    cold(many)  # trees, cities and the category pages' own caches warm alike
    count_one, _ = cold(one)
    count_many, page_many = cold(many)

    assert count_one == count_many
    assert page_many.count('type="image/webp"') == 6
    assert page_many.count("Next free: today 09:00") == 6


def test_the_provider_page_costs_the_same_for_one_service_as_for_many(client):
    category = CategoryFactory()
    single = listings(1, category)[0]
    several = bookable_service(category=category, title="Grout")
    for _ in range(5):
        extra = bookable_service(provider=several.provider, category=category, title="More")
        photo_for(provider_user=several.provider.user, service=extra)
    counted = []
    for provider in (single.provider, several.provider):
        counted.append(_queries(client, provider.get_absolute_url(), None)[0])
    assert counted[0] == counted[1]


def test_the_service_page_costs_the_same_with_one_photo_as_with_eight(client):
    category = CategoryFactory()
    few, many = listings(1, category)[0], listings(1, category)[0]
    for _ in range(7):
        photo_for(provider_user=many.provider.user, service=many)
    counted = []
    for service in (few, many):
        client.get(service.get_absolute_url())  # the tree and the next free time cached
        count, page = _queries(client, service.get_absolute_url(), None)
        assert "Next free: today 09:00" in page
        counted.append((count, page.count('class="gallery-slide"')))
    assert counted[0][0] == counted[1][0]
    assert (counted[0][1], counted[1][1]) == (1, 8)
