"""GET /api/providers/{slug}/ and /reviews/: a provider's public profile and reviews."""

import pytest

from accounts.models import VerificationStatus
from accounts.tests.factories import CityFactory, ProviderFactory
from booking.tests.factories import bookable_service
from catalog.services import set_service_active
from catalog.tests.factories import ServiceFactory
from reviews import conf
from tests.api_client import assert_error

from .factories import ReviewFactory, completed_booking

pytestmark = pytest.mark.django_db


def profile_url(provider):
    return f"/api/providers/{provider.slug}/"


@pytest.fixture
def provider():
    profile = ProviderFactory(last_name="Pipes").provider_profile
    profile.cities.add(CityFactory(name="Austin"))
    return profile


def test_a_provider_profile_shows_business_cities_rating_services_and_reviews(client, provider):
    listed = bookable_service(provider=provider, title="Leak repair")
    paused = ServiceFactory(provider=provider, title="Paused")
    set_service_active(service=paused, user=provider.user, active=False)
    ReviewFactory(booking=completed_booking(service=listed), rating=4, comment="Good job")

    response = client.get(profile_url(provider))

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["slug"], body["verified"]) == (provider.pk, provider.slug, True)
    assert body["url"] == f"http://testserver/providers/{provider.slug}/"
    assert body["cities"] == [{"slug": "austin-tx", "name": "Austin", "state": "TX"}]
    assert [service["title"] for service in body["services"]] == ["Leak repair"]
    assert body["rating"]["review_count"] == 1
    assert body["rating"]["rating_average"] == "4.00"
    assert body["rating"]["stars"] == {"5": 0, "4": 1, "3": 0, "2": 0, "1": 0}
    assert [review["comment"] for review in body["reviews"]["results"]] == ["Good job"]
    assert body["reviews"]["next"] is None


def test_the_first_page_of_reviews_links_to_the_reviews_list(client, provider):
    service = bookable_service(provider=provider)
    for _ in range(conf.PAGE_SIZE + 1):
        ReviewFactory(booking=completed_booking(service=service))

    body = client.get(profile_url(provider)).json()
    second = client.get(body["reviews"]["next"]).json()

    assert body["reviews"]["next"].endswith(f"/api/providers/{provider.slug}/reviews/?page=2")
    assert len(body["reviews"]["results"]) == conf.PAGE_SIZE
    assert len(second["results"]) == 1
    assert second["count"] == conf.PAGE_SIZE + 1


@pytest.mark.parametrize("count", [1, 6])
def test_a_profile_costs_the_same_queries_however_many_services(
    client, provider, count, django_assert_num_queries
):
    for _ in range(count):
        ReviewFactory(booking=completed_booking(service=bookable_service(provider=provider)))

    # The provider with their user and figures, their cities, their services with those of
    # the services' categories, a page of reviews.
    with django_assert_num_queries(4):
        body = client.get(profile_url(provider)).json()

    assert len(body["services"]) == count


@pytest.mark.parametrize("status", [VerificationStatus.PENDING, VerificationStatus.REJECTED])
def test_an_unverified_provider_has_no_public_profile(client, status):
    provider = ProviderFactory(verification=status).provider_profile

    assert_error(client.get(profile_url(provider)), 404)
    assert_error(client.get(f"{profile_url(provider)}reviews/"), 404)


def test_the_reviews_list_refuses_an_unknown_ordering(client, provider):
    body = assert_error(client.get(f"{profile_url(provider)}reviews/", {"ordering": "x"}), 400)

    assert list(body["errors"]) == ["ordering"]
