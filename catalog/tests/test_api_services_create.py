"""POST /api/services/create/: a verified provider adds a service."""

import pytest

from accounts.models import VerificationStatus
from accounts.tests.factories import CustomerFactory, ProviderFactory
from catalog.models import Service
from tests.api_client import assert_error, bearer, send

from .api_helpers import SERVICES, ids, service_url, without_next_free_slot
from .factories import CategoryFactory, ServiceFactory

pytestmark = pytest.mark.django_db

CREATE = "/api/services/create/"


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
    assert without_next_free_slot(client.get(service_url(service)).json()) == body
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
        ({"pricing_type": "DAILY"}, "pricing_type", "'HOURLY', 'FIXED' or 'QUOTE'"),
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


def test_a_line_break_in_a_service_title_is_refused_naming_the_title(client):
    # Regression: a title with line breaks reached email subjects and broke them. The API
    # refuses control characters in one-line fields (core/api/text.py); the site's form
    # still joins what a person pasted.
    provider = ProviderFactory()
    service = ServiceFactory(provider=provider.provider_profile, title="Leak repair")

    created = send(
        client,
        "post",
        "/api/services/create/",
        {
            "title": "Leak\nrepair\r\n  today",
            "category": CategoryFactory().pk,
            "base_price": "10.00",
            "duration_minutes": 60,
        },
        **bearer(provider),
    )
    patched = send(
        client, "patch", service_url(service), {"title": "Drain\rcleaning"}, **bearer(provider)
    )

    for answer in (created, patched):
        assert "control character" in assert_error(answer, 400)["errors"]["title"][0]
    assert list(Service.objects.values_list("title", flat=True)) == ["Leak repair"]
