"""PUT /api/services/{id}/: a provider replaces their own service as a whole."""

from decimal import Decimal

import pytest

from accounts.tests.factories import CustomerFactory, ProviderFactory
from catalog.models import Service
from catalog.services import set_service_active
from tests.api_client import assert_error, bearer, send

from .api_helpers import service_url
from .factories import CategoryFactory

pytestmark = pytest.mark.django_db


def whole(category, **overrides):
    return {
        "title": "Boiler service",
        "slug": "boiler-service",
        "description": "Annual check.",
        "short_description": "Safe and warm.",
        "category": category.pk,
        "pricing_type": "HOURLY",
        "base_price": "80.00",
        "currency": "USD",
        "duration_minutes": 90,
    } | overrides


def test_owner_replaces_every_field(client, own_service, provider_auth):
    heating = CategoryFactory(name="Heating")

    response = send(client, "put", service_url(own_service), whole(heating), **provider_auth)

    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in ("title", "slug", "pricing_type", "base_price")} == {
        "title": "Boiler service",
        "slug": "boiler-service",
        "pricing_type": "HOURLY",
        "base_price": "80.00",
    }
    own_service.refresh_from_db()
    assert (own_service.category, own_service.duration_minutes) == (heating, 90)
    assert own_service.description == "Annual check."


def test_fields_left_out_take_their_defaults(client, own_service, provider_auth):
    data = whole(own_service.category)
    for name in ("description", "short_description", "slug"):
        del data[name]

    response = send(client, "put", service_url(own_service), data, **provider_auth)

    assert response.status_code == 200
    own_service.refresh_from_db()
    assert (own_service.description, own_service.short_description) == ("", "")
    assert own_service.slug == "leak-repair"  # an empty slug keeps the one it has


def test_a_paused_service_stays_paused(client, own_service, provider_auth):
    set_service_active(service=own_service, user=own_service.provider.user, active=False)

    response = send(
        client, "put", service_url(own_service), whole(own_service.category), **provider_auth
    )

    assert response.json()["is_active"] is False


def test_a_missing_required_field_is_a_400_and_changes_nothing(client, own_service, provider_auth):
    data = whole(own_service.category)
    del data["title"]

    body = assert_error(send(client, "put", service_url(own_service), data, **provider_auth), 400)

    assert list(body["errors"]) == ["title"]
    assert Service.objects.get().title == "Leak repair"


def test_others_cannot_replace_it(client, own_service):
    stranger = send(
        client,
        "put",
        service_url(own_service),
        whole(own_service.category),
        **bearer(ProviderFactory()),
    )
    customer = send(
        client,
        "put",
        service_url(own_service),
        whole(own_service.category),
        **bearer(CustomerFactory()),
    )

    assert (stranger.status_code, customer.status_code) == (404, 403)
    assert Service.objects.get().base_price == Decimal("120.00")
