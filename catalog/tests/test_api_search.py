"""GET /api/services/: searching the catalog with filters, ordering and pages."""

import json
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from accounts.models import VerificationStatus
from accounts.tests.factories import CityFactory, ProviderFactory
from catalog import selectors, services
from catalog.models import PricingType
from catalog.selectors import PAGE_SIZE, SearchFilters, Sort, category_tree, search_services
from tests.api_client import assert_error

from .api_helpers import SERVICES, ids
from .factories import CategoryFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def as_json(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def test_search_lists_services_with_everything_a_card_and_page_need(client):
    provider = ProviderFactory(last_name="Pipes").provider_profile
    category = CategoryFactory(name="Leak repair")
    service = ServiceFactory(
        provider=provider,
        category=category,
        title="Emergency leak repair",
        short_description="Fixed today.",
        description="Any pipe.",
        pricing_type=PricingType.HOURLY,
        base_price=Decimal("85.50"),
        duration_minutes=90,
        rating_average=Decimal("4.75"),
        review_count=8,
    )

    response = client.get(SERVICES)

    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["count_is_capped"], body["next"], body["previous"]) == (
        1,
        False,
        None,
        None,
    )
    assert body["corrected_query"] is None
    assert body["results"] == [
        {
            "id": service.pk,
            "title": "Emergency leak repair",
            "slug": "emergency-leak-repair",
            "url": f"http://testserver/services/{service.pk}-emergency-leak-repair/",
            "short_description": "Fixed today.",
            "description": "Any pipe.",
            "category": {"id": category.pk, "name": "Leak repair", "slug": category.slug},
            "provider": {
                "id": provider.pk,
                "business_name": "Pipes Services",
                "slug": provider.slug,
                "url": f"http://testserver/providers/{provider.slug}/",
                "rating_average": "0.00",
                "review_count": 0,
                "verified": True,
                "cities": [],
            },
            "pricing_type": "HOURLY",
            "base_price": "85.50",
            "currency": "USD",
            "duration_minutes": 90,
            "is_active": True,
            "is_featured": False,
            "rating_average": "4.75",
            "review_count": 8,
            "completed_bookings_count": 0,
            "created_at": as_json(service.created_at),
            "updated_at": as_json(service.updated_at),
        }
    ]


def test_search_leaves_out_paused_services_and_unverified_providers(client):
    listed = ServiceFactory(title="Listed")
    paused = ServiceFactory(title="Paused")
    services.set_service_active(service=paused, user=paused.provider.user, active=False)
    pending = ProviderFactory(verification=VerificationStatus.PENDING).provider_profile
    ServiceFactory(provider=pending, title="Pending")

    response = client.get(SERVICES)

    assert ids(response) == [listed.pk]


@pytest.fixture
def catalog_to_search():
    """A small catalog with something for each filter to keep or drop."""
    austin, denver = CityFactory(name="Austin"), CityFactory(name="Denver", state="CO")
    local = ProviderFactory().provider_profile
    local.cities.add(austin)
    far = ProviderFactory().provider_profile
    far.cities.add(denver)
    plumbing = CategoryFactory(name="Plumbing", slug="plumbing")
    leaks = CategoryFactory(name="Leak repair", slug="leak-repair", parent=plumbing)
    cleaning = CategoryFactory(name="Cleaning", slug="cleaning")
    rows = [
        (local, leaks, "Burst pipe repair", "90", "4.9", PricingType.FIXED),
        (local, plumbing, "Boiler service", "150", "4.2", PricingType.FIXED),
        (far, leaks, "Pipe leak detection", "60", "3.1", PricingType.HOURLY),
        (far, cleaning, "Deep clean", "200", "4.6", PricingType.FIXED),
        (local, cleaning, "Window cleaning", "40", "0", PricingType.HOURLY),
    ]
    for provider, category, title, price, rating, pricing in rows:
        ServiceFactory(
            provider=provider,
            category=category,
            title=title,
            base_price=Decimal(price),
            rating_average=Decimal(rating),
            review_count=3,
            pricing_type=pricing,
        )


@pytest.mark.parametrize(
    ("params", "filters"),
    [
        ({"q": "pipe"}, {"q": "pipe"}),
        ({"category": "plumbing"}, {"category": "plumbing"}),
        (
            {"category": "leak-repair", "ordering": "-price"},
            {"category": "leak-repair", "sort": Sort.PRICE_DESC},
        ),
        (
            {"city": "austin-tx", "min_price": "50", "ordering": "price"},
            {"city": "austin-tx", "min_price": Decimal("50"), "sort": Sort.PRICE_ASC},
        ),
        (
            {"min_rating": "4", "max_price": "180", "ordering": "rating"},
            {"min_rating": Decimal("4"), "max_price": Decimal("180"), "sort": Sort.RATING},
        ),
        (
            {"pricing_type": "HOURLY", "ordering": "newest"},
            {"pricing_type": PricingType.HOURLY, "sort": Sort.NEWEST},
        ),
        ({"q": "clean", "city": "denver-co"}, {"q": "clean", "city": "denver-co"}),
    ],
)
def test_search_finds_what_the_site_finds(client, catalog_to_search, params, filters):
    if "category" in filters:
        filters["category"] = category_tree().get(filters["category"])
    expected = [service.pk for service in search_services(SearchFilters(**filters)).services]

    response = client.get(SERVICES, params)

    assert response.status_code == 200
    assert ids(response) == expected
    assert response.json()["count"] == len(expected)
    assert expected  # each combination finds something, so the comparison means something


def test_search_ordering_by_price_both_ways(client, catalog_to_search):
    cheap_first = client.get(SERVICES, {"ordering": "price"}).json()["results"]
    dear_first = client.get(SERVICES, {"ordering": "-price"}).json()["results"]

    prices = [Decimal(service["base_price"]) for service in cheap_first]
    assert prices == sorted(prices) and len(prices) == 5
    assert [s["id"] for s in dear_first] == [s["id"] for s in reversed(cheap_first)]


def test_search_corrects_a_misspelt_word_and_says_so(client):
    service = ServiceFactory(title="Emergency callout", category=CategoryFactory(name="Plumbing"))

    response = client.get(SERVICES, {"q": "plumbr"})

    assert ids(response) == [service.pk]
    assert response.json()["corrected_query"] == "plumbing"


def test_search_pages_link_to_each_other_with_absolute_urls(client):
    ServiceFactory.create_batch(PAGE_SIZE + 3, title="Window cleaning")

    first = client.get(SERVICES, {"q": "window", "ordering": "newest"}).json()
    second = client.get(first["next"]).json()

    assert first["count"] == second["count"] == PAGE_SIZE + 3
    assert first["previous"] is None
    parts = urlsplit(first["next"])
    assert (parts.scheme, parts.netloc, parts.path) == ("http", "testserver", SERVICES)
    assert parse_qs(parts.query) == {"q": ["window"], "ordering": ["newest"], "page": ["2"]}
    assert len(first["results"]) == PAGE_SIZE and len(second["results"]) == 3
    assert second["next"] is None
    assert parse_qs(urlsplit(second["previous"]).query)["page"] == ["1"]
    assert client.get(second["previous"]).json()["results"] == first["results"]
    assert {s["id"] for s in first["results"]}.isdisjoint({s["id"] for s in second["results"]})


def test_search_says_when_the_count_is_capped(client, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 4)
    ServiceFactory.create_batch(4, base_price=Decimal("120"))
    ServiceFactory.create_batch(2, base_price=Decimal("50"))

    capped = client.get(SERVICES).json()
    exact = client.get(SERVICES, {"max_price": "100"}).json()

    assert (capped["count"], capped["count_is_capped"]) == (4, True)
    assert (exact["count"], exact["count_is_capped"]) == (2, False)


def test_empty_filters_are_ignored(client):
    service = ServiceFactory()

    response = client.get(
        f"{SERVICES}?category=&min_price=&max_price=&city=&q=&min_rating=&ordering=&page="
    )

    assert ids(response) == [service.pk]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"min_price": "cheap"}, "min_price", "Input should be a valid decimal"),
        ({"max_price": "-5"}, "max_price", "greater than or equal to 0"),
        ({"min_price": "10.555"}, "min_price", "no more than 2 decimal places"),
        ({"min_price": "50", "max_price": "10"}, "max_price", "at least the minimum price"),
        ({"category": "no-such-category"}, "category", "Unknown category “no-such-category”"),
        ({"category": "999999"}, "category", "Unknown category “999999”"),
        ({"city": "atlantis"}, "city", "Unknown city “atlantis”"),
        ({"min_rating": "11"}, "min_rating", "Input should be '3', '4' or '4.5'"),
        ({"pricing_type": "FREE"}, "pricing_type", "Input should be 'HOURLY', 'FIXED' or 'QUOTE'"),
        ({"ordering": "random"}, "ordering", "Input should be 'relevance', 'rating'"),
        ({"page": "99999"}, "page", "less than or equal to 50"),
        ({"page": "abc"}, "page", "valid integer"),
        ({"page": "0"}, "page", "greater than or equal to 1"),
        ({"q": "x" * 201}, "q", "at most 200 characters"),
    ],
)
def test_bad_filters_are_a_400_naming_the_parameter(client, params, field, message):
    ServiceFactory()

    body = assert_error(client.get(SERVICES, params), 400)

    assert list(body["errors"]) == [field]
    assert message in body["errors"][field][0]
    assert "results" not in body


def test_every_bad_filter_is_reported_at_once(client):
    body = assert_error(client.get(SERVICES, {"min_price": "x", "ordering": "best"}), 400)

    assert set(body["errors"]) == {"min_price", "ordering"}
    assert body["detail"] == "Invalid input: see errors."


def test_a_page_past_the_last_one_is_a_400(client):
    ServiceFactory()

    body = assert_error(client.get(SERVICES, {"page": "2"}), 400)

    assert body["errors"] == {"page": ["The last page is 1."]}


@pytest.mark.parametrize("count", [1, 25])
def test_search_query_count_is_constant(client, count, django_assert_num_queries):
    category = CategoryFactory()
    ServiceFactory.create_batch(count, category=category, title="Pipe fix")
    client.get(SERVICES)  # warm the category and city caches, as any earlier client does

    # Vocabulary and word statistics, best matches, rows, the providers' cities.
    with django_assert_num_queries(4):
        response = client.get(SERVICES, {"q": "pipe", "category": category.slug})

    assert response.json()["count"] == count
    assert len(response.json()["results"]) == min(count, PAGE_SIZE)
