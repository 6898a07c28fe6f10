"""GET /api/services/: a category named by id or slug, a city by slug or by name."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import CityFactory, ProviderFactory
from tests.api_client import assert_error

from .api_helpers import SERVICES, ids
from .factories import CategoryFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_york_and_austin():
    new_york = CityFactory(name="New York", state="NY", slug="new-york-ny")
    austin = CityFactory(name="Austin", state="TX", slug="austin-tx")
    plumbing = CategoryFactory(name="Plumbing", slug="plumbing")
    in_new_york = ProviderFactory().provider_profile
    in_new_york.cities.add(new_york)
    in_austin = ProviderFactory().provider_profile
    in_austin.cities.add(austin)
    return {
        "plumbing": plumbing,
        "new_york": ServiceFactory(provider=in_new_york, category=plumbing, title="NY pipes"),
        "austin": ServiceFactory(provider=in_austin, category=plumbing, title="TX pipes"),
        "cleaning": ServiceFactory(provider=in_new_york, title="NY clean"),
    }


def test_a_category_is_its_id_or_its_slug(client, new_york_and_austin):
    plumbing = new_york_and_austin["plumbing"]
    expected = sorted([new_york_and_austin["new_york"].pk, new_york_and_austin["austin"].pk])

    by_id = client.get(SERVICES, {"category": str(plumbing.pk)})
    by_slug = client.get(SERVICES, {"category": "plumbing"})
    by_upper_slug = client.get(SERVICES, {"category": "PLUMBING"})

    assert sorted(ids(by_id)) == sorted(ids(by_slug)) == sorted(ids(by_upper_slug)) == expected


@pytest.mark.parametrize(
    "named", ["new-york-ny", "NewYork", "new york", "New York", "  NEW   YORK ", "New York, NY"]
)
def test_a_city_is_its_slug_or_its_name_in_any_case_and_spacing(client, new_york_and_austin, named):
    response = client.get(SERVICES, {"city": named, "category": "plumbing"})

    assert response.status_code == 200
    assert ids(response) == [new_york_and_austin["new_york"].pk]


def test_a_name_two_cities_share_is_a_400_listing_both(client, new_york_and_austin):
    for state in ("IL", "MO"):
        provider = ProviderFactory().provider_profile
        provider.cities.add(CityFactory(name="Springfield", state=state))

    body = assert_error(client.get(SERVICES, {"city": "springfield"}), 400)
    precise = client.get(SERVICES, {"city": "Springfield, MO"})

    assert body["errors"] == {
        "city": [
            "More than one city is called springfield. "
            "Send springfield-il or “Springfield, IL”; springfield-mo or “Springfield, MO”."
        ]
    }
    assert body["matches"] == [
        {"slug": "springfield-il", "name": "Springfield", "state": "IL"},
        {"slug": "springfield-mo", "name": "Springfield", "state": "MO"},
    ]
    assert precise.status_code == 200


def test_an_unknown_city_or_category_is_a_400_naming_it(client, new_york_and_austin):
    city = assert_error(client.get(SERVICES, {"city": "Gotham"}), 400)
    category = assert_error(client.get(SERVICES, {"category": "0"}), 400)

    assert city["errors"] == {
        "city": ["Unknown city “Gotham”: send a slug or a name from /api/cities/."]
    }
    assert category["errors"] == {
        "category": ["Unknown category “0”: send an id or a slug from /api/categories/."]
    }


def test_search_shows_the_cities_each_provider_serves(client, new_york_and_austin):
    body = client.get(SERVICES, {"city": "austin"}).json()

    assert [service["provider"]["cities"] for service in body["results"]] == [
        [{"slug": "austin-tx", "name": "Austin", "state": "TX"}]
    ]


def test_a_city_by_name_costs_one_read_more_than_by_slug(client, new_york_and_austin):
    client.get(SERVICES)  # warm the category and city caches, as any earlier client does

    with CaptureQueriesContext(connection) as by_slug:
        slug = client.get(SERVICES, {"city": "new-york-ny"})
    with CaptureQueriesContext(connection) as by_name:
        name = client.get(SERVICES, {"city": "New York"})

    # A slug is one indexed read; a name reads every city's name, slug and state once.
    assert len(by_name) == len(by_slug) + 1
    assert ids(slug) == ids(name) and len(ids(slug)) == 2
