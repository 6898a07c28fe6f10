"""What an API client gets from the catalog: the category tree, search, one service, and a
provider's own services."""

import json
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import ProtectedError

from accounts.models import VerificationStatus
from accounts.tests.factories import CityFactory, CustomerFactory, ProviderFactory
from catalog import selectors, services
from catalog.models import PricingType, Service
from catalog.selectors import PAGE_SIZE, SearchFilters, Sort, category_tree, search_services
from tests.api_client import assert_error, bearer, send

from .factories import CategoryFactory, ServiceFactory

pytestmark = pytest.mark.django_db

CATEGORIES = "/api/categories/"
SERVICES = "/api/services/"
CREATE = "/api/services/create/"


def service_url(service_or_id):
    return f"{SERVICES}{getattr(service_or_id, 'pk', service_or_id)}/"


def as_json(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def ids(response):
    return [service["id"] for service in response.json()["results"]]


def service_input(chosen_category, **overrides):
    data = {
        "title": "Emergency leak repair",
        "slug": "emergency-leak-repair",
        "description": "We find the leak, fix it and check the rest of the line.",
        "short_description": "Burst pipe or dripping tap, fixed today.",
        "category": chosen_category.pk,
        "pricing_type": "FIXED",
        "base_price": "120.00",
        "currency": "USD",
        "duration_minutes": 90,
    }
    return data | overrides


@pytest.fixture
def provider():
    return ProviderFactory(email="joe@example.com", last_name="Pipes")


@pytest.fixture
def provider_auth(provider):
    return bearer(provider)


# Categories


def test_categories_are_the_active_tree_nested_in_display_order(client):
    electrical = CategoryFactory(name="Electrical", icon="💡", description="Sparks.", ordering=2)
    wiring = CategoryFactory(name="Wiring", parent=electrical)
    rewiring = CategoryFactory(name="Rewiring", parent=wiring)
    plumbing = CategoryFactory(name="Plumbing", ordering=1)
    hidden = CategoryFactory(name="Retired", is_active=False)
    CategoryFactory(name="Under retired", parent=hidden)

    response = client.get(CATEGORIES)

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": plumbing.pk,
            "name": "Plumbing",
            "slug": plumbing.slug,
            "icon": "",
            "description": "",
            "children": [],
        },
        {
            "id": electrical.pk,
            "name": "Electrical",
            "slug": electrical.slug,
            "icon": "💡",
            "description": "Sparks.",
            "children": [
                {
                    "id": wiring.pk,
                    "name": "Wiring",
                    "slug": wiring.slug,
                    "icon": "",
                    "description": "",
                    "children": [
                        {
                            "id": rewiring.pk,
                            "name": "Rewiring",
                            "slug": rewiring.slug,
                            "icon": "",
                            "description": "",
                            "children": [],
                        }
                    ],
                }
            ],
        },
    ]


def test_categories_come_from_the_cache(client, django_assert_num_queries):
    CategoryFactory(name="Plumbing")
    client.get(CATEGORIES)

    with django_assert_num_queries(0):
        response = client.get(CATEGORIES)

    assert [category["name"] for category in response.json()] == ["Plumbing"]


# Search


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
            },
            "pricing_type": "HOURLY",
            "base_price": "85.50",
            "currency": "USD",
            "duration_minutes": 90,
            "is_active": True,
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
        ({"min_price": "cheap"}, "min_price", "Enter a number."),
        ({"max_price": "-5"}, "max_price", "greater than or equal to 0"),
        ({"min_price": "10.555"}, "min_price", "no more than 2 decimal places"),
        ({"min_price": "50", "max_price": "10"}, "max_price", "at least the minimum price"),
        ({"category": "no-such-category"}, "category", "Select a valid choice."),
        ({"city": "atlantis"}, "city", "Select a valid choice."),
        ({"min_rating": "11"}, "min_rating", "Select a valid choice."),
        ({"pricing_type": "FREE"}, "pricing_type", "Select a valid choice."),
        ({"ordering": "random"}, "ordering", "Select a valid choice."),
        ({"page": "99999"}, "page", "Only the first 50 pages are shown"),
        ({"page": "abc"}, "page", "Enter a whole number."),
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

    with django_assert_num_queries(3):  # vocabulary and word statistics, best matches, rows
        response = client.get(SERVICES, {"q": "pipe", "category": category.slug})

    assert response.json()["count"] == count
    assert len(response.json()["results"]) == min(count, PAGE_SIZE)


# One service


def test_one_listed_service(client):
    service = ServiceFactory(title="Deep clean")

    response = client.get(service_url(service))

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["title"], body["is_active"]) == (service.pk, "Deep clean", True)
    assert body["url"] == f"http://testserver{service.get_absolute_url()}"
    assert body == client.get(SERVICES).json()["results"][0]  # the same shape as in search


@pytest.mark.parametrize("status", [VerificationStatus.PENDING, VerificationStatus.REJECTED])
def test_a_service_of_an_unverified_provider_is_not_found(client, status):
    service = ServiceFactory(provider=ProviderFactory(verification=status).provider_profile)

    body = assert_error(client.get(service_url(service)), 404)

    assert body == {"detail": "Not found."}


def test_a_paused_service_is_not_found_even_by_its_owner(client, provider, provider_auth):
    service = ServiceFactory(provider=provider.provider_profile)
    send(client, "patch", service_url(service), {"is_active": False}, **provider_auth)

    assert_error(client.get(service_url(service)), 404)
    assert_error(client.get(service_url(service), **provider_auth), 404)


def test_an_unknown_or_malformed_id_is_a_json_404(client):
    assert_error(client.get(service_url(999999)), 404)
    assert_error(client.get(f"{SERVICES}abc/"), 404)


# Create


def test_verified_provider_creates_a_service_that_is_listed_at_once(
    client, provider, provider_auth
):
    category = CategoryFactory(name="Leak repair")

    response = send(client, "post", CREATE, service_input(category), **provider_auth)

    assert response.status_code == 201
    service = Service.objects.get()
    body = response.json()
    assert body["id"] == service.pk
    assert (body["slug"], body["base_price"], body["duration_minutes"]) == (
        "emergency-leak-repair",
        "120.00",
        90,
    )
    assert body["category"] == {"id": category.pk, "name": "Leak repair", "slug": category.slug}
    assert body["provider"]["id"] == provider.provider_profile.pk
    assert body["is_active"] is True
    assert service.provider.user == provider
    assert client.get(service_url(service)).json() == body
    assert ids(client.get(SERVICES, {"q": "leak"})) == [service.pk]


def test_create_fills_in_the_slug_currency_and_pricing_type(client, provider_auth):
    category = CategoryFactory()
    data = service_input(category, currency="eur")
    del data["slug"], data["pricing_type"]

    response = send(client, "post", CREATE, data, **provider_auth)

    assert response.status_code == 201
    body = response.json()
    assert (body["slug"], body["currency"], body["pricing_type"]) == (
        "emergency-leak-repair",
        "EUR",
        "FIXED",
    )


def test_create_takes_a_price_as_a_number_too(client, provider_auth):
    response = send(
        client, "post", CREATE, service_input(CategoryFactory(), base_price=99.5), **provider_auth
    )

    assert response.json()["base_price"] == "99.50"


def test_create_needs_a_token(client):
    body = assert_error(send(client, "post", CREATE, service_input(CategoryFactory())), 401)

    assert "Bearer" in body["detail"]
    assert not Service.objects.exists()


def test_customers_cannot_create_services(client):
    auth = bearer(CustomerFactory())

    body = assert_error(send(client, "post", CREATE, service_input(CategoryFactory()), **auth), 403)

    assert body == {"detail": "Only providers can manage services."}
    assert not Service.objects.exists()


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (VerificationStatus.PENDING, "waiting for verification"),
        (VerificationStatus.REJECTED, "was not verified"),
    ],
)
def test_unverified_providers_are_told_why_they_cannot_create(client, status, message):
    auth = bearer(ProviderFactory(verification=status))

    body = assert_error(send(client, "post", CREATE, service_input(CategoryFactory()), **auth), 403)

    assert message in body["detail"]
    assert not Service.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"base_price": "0"}, "base_price", "greater than 0"),
        ({"base_price": "-10"}, "base_price", "greater than 0"),
        ({"base_price": "cheap"}, "base_price", "valid decimal"),
        ({"base_price": "12.345"}, "base_price", "2 decimal places"),
        ({"base_price": "123456789.00"}, "base_price", "8 digits before the decimal point"),
        ({"duration_minutes": 5}, "duration_minutes", "greater than or equal to 15"),
        ({"duration_minutes": 721}, "duration_minutes", "less than or equal to 720"),
        ({"currency": "dollars"}, "currency", "at most 3 characters"),
        ({"currency": "U$D"}, "currency", "three-letter ISO 4217 code"),
        ({"category": 999999}, "category", "Select a valid choice."),
        ({"category": "plumbing"}, "category", "valid integer"),
        ({"pricing_type": "DAILY"}, "pricing_type", "'HOURLY' or 'FIXED'"),
        ({"slug": "Not a slug!"}, "slug", "Enter a valid “slug”"),
        ({"title": ""}, "title", "This field is required."),
        ({"title": "x" * 10_000}, "title", "at most 120 characters"),
        ({"description": "x" * 5001}, "description", "at most 5000 characters"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_saves_nothing(
    client, provider_auth, overrides, field, message
):
    data = service_input(CategoryFactory(), **overrides)

    body = assert_error(send(client, "post", CREATE, data, **provider_auth), 400)

    assert list(body["errors"]) == [field]
    assert message in body["errors"][field][0]
    assert not Service.objects.exists()


def test_missing_fields_are_each_reported(client, provider_auth):
    body = assert_error(send(client, "post", CREATE, {"slug": "x"}, **provider_auth), 400)

    assert set(body["errors"]) == {"title", "category", "base_price", "duration_minutes"}


def test_an_inactive_category_cannot_be_chosen(client, provider_auth):
    retired = CategoryFactory(is_active=False)

    body = assert_error(send(client, "post", CREATE, service_input(retired), **provider_auth), 400)

    assert list(body["errors"]) == ["category"]
    assert not Service.objects.exists()


def test_a_slug_already_used_by_the_provider_is_a_field_error(client, provider, provider_auth):
    ServiceFactory(provider=provider.provider_profile, slug="emergency-leak-repair")

    response = send(client, "post", CREATE, service_input(CategoryFactory()), **provider_auth)

    body = assert_error(response, 400)
    assert body["errors"] == {"slug": ["You already have a service with this slug."]}
    assert Service.objects.count() == 1


def test_another_provider_may_use_the_same_slug(client, provider_auth):
    ServiceFactory(slug="emergency-leak-repair")

    response = send(client, "post", CREATE, service_input(CategoryFactory()), **provider_auth)

    assert response.status_code == 201
    assert Service.objects.filter(slug="emergency-leak-repair").count() == 2


# Update


@pytest.fixture
def own_service(provider):
    return ServiceFactory(
        provider=provider.provider_profile,
        title="Leak repair",
        slug="leak-repair",
        base_price=Decimal("120.00"),
        duration_minutes=60,
        description="Any pipe.",
    )


def test_owner_changes_only_the_fields_sent(client, own_service, provider_auth):
    response = send(
        client,
        "patch",
        service_url(own_service),
        {"base_price": "135.00", "duration_minutes": 120},
        **provider_auth,
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["base_price"], body["duration_minutes"]) == ("135.00", 120)
    own_service.refresh_from_db()
    assert (own_service.base_price, own_service.duration_minutes) == (Decimal("135.00"), 120)
    assert (own_service.title, own_service.slug, own_service.description) == (
        "Leak repair",
        "leak-repair",
        "Any pipe.",
    )
    assert client.get(service_url(own_service)).json() == body


def test_a_new_title_is_found_by_search(client, own_service, provider_auth):
    send(client, "patch", service_url(own_service), {"title": "Boiler tune-up"}, **provider_auth)

    assert ids(client.get(SERVICES, {"q": "boiler"})) == [own_service.pk]
    assert ids(client.get(SERVICES, {"q": "leak"})) == []


def test_owner_pauses_and_resumes_a_service(client, own_service, provider_auth):
    paused = send(client, "patch", service_url(own_service), {"is_active": False}, **provider_auth)

    assert paused.status_code == 200
    assert paused.json()["is_active"] is False
    assert client.get(service_url(own_service)).status_code == 404
    assert ids(client.get(SERVICES)) == []

    resumed = send(client, "patch", service_url(own_service), {"is_active": True}, **provider_auth)

    assert resumed.json()["is_active"] is True
    assert ids(client.get(SERVICES)) == [own_service.pk]


def test_pause_and_edit_in_one_request(client, own_service, provider_auth):
    response = send(
        client,
        "patch",
        service_url(own_service),
        {"is_active": False, "title": "Leak repair (back in May)"},
        **provider_auth,
    )

    assert response.status_code == 200
    own_service.refresh_from_db()
    assert (own_service.title, own_service.is_active, own_service.is_listed) == (
        "Leak repair (back in May)",
        False,
        False,
    )


def test_an_empty_slug_keeps_the_address(client, own_service, provider_auth):
    response = send(client, "patch", service_url(own_service), {"slug": ""}, **provider_auth)

    assert response.json()["slug"] == "leak-repair"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"base_price": "-1"}, "base_price"),
        ({"duration_minutes": 1000}, "duration_minutes"),
        ({"title": None}, "title"),
        ({"is_active": None}, "is_active"),
        ({"category": 999999}, "category"),
        ({"currency": "12$"}, "currency"),
    ],
)
def test_bad_changes_are_400_and_change_nothing(client, own_service, provider_auth, change, field):
    before = Service.objects.values().get(pk=own_service.pk)

    response = send(client, "patch", service_url(own_service), change, **provider_auth)

    body = assert_error(response, 400)
    assert list(body["errors"]) == [field]
    assert Service.objects.values().get(pk=own_service.pk) == before


def test_renaming_to_a_slug_in_use_is_a_field_error(client, provider, own_service, provider_auth):
    ServiceFactory(provider=provider.provider_profile, slug="boiler-service")

    response = send(
        client, "patch", service_url(own_service), {"slug": "boiler-service"}, **provider_auth
    )

    assert assert_error(response, 400)["errors"] == {
        "slug": ["You already have a service with this slug."]
    }
    own_service.refresh_from_db()
    assert own_service.slug == "leak-repair"


def test_another_providers_service_cannot_be_changed_or_even_seen(client, own_service):
    intruder = bearer(ProviderFactory())
    before = Service.objects.values().get(pk=own_service.pk)

    tampered = send(client, "patch", service_url(own_service), {"base_price": "1"}, **intruder)
    missing = send(client, "patch", service_url(999999), {"base_price": "1"}, **intruder)

    assert tampered.status_code == missing.status_code == 404
    assert tampered.json() == missing.json() == {"detail": "Not found."}
    assert Service.objects.values().get(pk=own_service.pk) == before


@pytest.mark.parametrize("change", [{"category": 999999}, {"base_price": "-1"}])
def test_invalid_changes_to_another_providers_service_reveal_nothing(client, own_service, change):
    intruder = bearer(ProviderFactory())

    theirs = send(client, "patch", service_url(own_service), change, **intruder)
    missing = send(client, "patch", service_url(999999), change, **intruder)

    assert theirs.status_code == missing.status_code
    assert theirs.json() == missing.json()


def test_customers_cannot_change_services(client, own_service):
    before = Service.objects.values().get(pk=own_service.pk)

    response = send(
        client, "patch", service_url(own_service), {"is_active": False}, **bearer(CustomerFactory())
    )

    assert assert_error(response, 403) == {"detail": "Only providers can manage services."}
    assert Service.objects.values().get(pk=own_service.pk) == before


def test_a_pending_provider_may_still_change_their_own_service(client):
    pending = ProviderFactory(verification=VerificationStatus.PENDING)
    service = ServiceFactory(provider=pending.provider_profile)

    response = send(client, "patch", service_url(service), {"title": "Better"}, **bearer(pending))

    assert response.status_code == 200
    assert response.json()["provider"]["verified"] is False


def test_update_needs_a_token(client, own_service):
    assert_error(send(client, "patch", service_url(own_service), {"is_active": False}), 401)

    own_service.refresh_from_db()
    assert own_service.is_active


# Delete


def test_owner_deletes_a_service(client, own_service, provider_auth):
    response = client.delete(service_url(own_service), **provider_auth)

    assert response.status_code == 204
    assert response.content == b""
    assert not Service.objects.filter(pk=own_service.pk).exists()
    assert client.get(service_url(own_service)).status_code == 404


def test_another_providers_service_cannot_be_deleted(client, own_service):
    response = client.delete(service_url(own_service), **bearer(ProviderFactory()))

    assert assert_error(response, 404) == {"detail": "Not found."}
    assert Service.objects.filter(pk=own_service.pk).exists()


def test_customers_cannot_delete_services(client, own_service):
    response = client.delete(service_url(own_service), **bearer(CustomerFactory()))

    assert_error(response, 403)
    assert Service.objects.filter(pk=own_service.pk).exists()


def test_delete_needs_a_token(client, own_service):
    assert_error(client.delete(service_url(own_service)), 401)

    assert Service.objects.filter(pk=own_service.pk).exists()


def test_a_service_with_bookings_is_a_409_asking_to_pause_it(
    client, own_service, provider_auth, monkeypatch
):
    # Bookings arrive with the booking app; they will protect their service the same way.
    def protected(self, *args, **kwargs):
        raise ProtectedError("Cannot delete: it has bookings.", set())

    monkeypatch.setattr(Service, "delete", protected)

    response = client.delete(service_url(own_service), **provider_auth)

    body = assert_error(response, 409)
    assert "Pause it" in body["detail"]
    assert Service.objects.filter(pk=own_service.pk).exists()


def test_a_service_title_is_kept_on_one_line(client):
    # Regression: a title with line breaks reached email subjects and broke them.
    provider = ProviderFactory()
    category = CategoryFactory()

    response = send(
        client,
        "post",
        "/api/services/create/",
        {
            "title": "Leak\nrepair\r\n  today",
            "category": category.pk,
            "base_price": "10.00",
            "duration_minutes": 60,
        },
        **bearer(provider),
    )
    patched = send(
        client,
        "patch",
        f"/api/services/{response.json()['id']}/",
        {"title": "Drain\rcleaning"},
        **bearer(provider),
    )

    assert response.json()["title"] == "Leak repair today"
    assert patched.json()["title"] == "Drain cleaning"
