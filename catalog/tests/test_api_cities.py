"""GET /api/cities/: the cities providers work in."""

import pytest

from accounts.models import VerificationStatus
from accounts.tests.factories import CityFactory, ProviderFactory
from catalog.api import CITY_PAGE_SIZE
from tests.api_client import assert_error

pytestmark = pytest.mark.django_db

CITIES = "/api/cities/"


def test_lists_the_cities_of_verified_providers_by_name(client):
    austin, denver = CityFactory(name="Austin"), CityFactory(name="Denver", state="CO")
    ProviderFactory().provider_profile.cities.add(denver, austin)
    pending = ProviderFactory(verification=VerificationStatus.PENDING).provider_profile
    pending.cities.add(CityFactory(name="Boston", state="MA"))
    CityFactory(name="Nowhere")

    body = client.get(CITIES).json()

    assert body == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [
            {"slug": "austin-tx", "name": "Austin", "state": "TX"},
            {"slug": "denver-co", "name": "Denver", "state": "CO"},
        ],
    }


def test_cities_come_in_pages(client, django_assert_num_queries):
    provider = ProviderFactory().provider_profile
    provider.cities.add(*[CityFactory() for _ in range(CITY_PAGE_SIZE + 1)])

    with django_assert_num_queries(2):  # the count and the page
        first = client.get(CITIES).json()
    second = client.get(first["next"]).json()

    assert (len(first["results"]), len(second["results"])) == (CITY_PAGE_SIZE, 1)
    assert assert_error(client.get(CITIES, {"page": "3"}), 400)["errors"] == {
        "page": ["The last page is 2."]
    }
