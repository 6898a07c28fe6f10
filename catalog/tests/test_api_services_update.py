"""PATCH /api/services/{id}/: a provider changes, pauses or resumes their own service."""

from decimal import Decimal

import pytest

from accounts.models import VerificationStatus
from accounts.tests.factories import CustomerFactory, ProviderFactory
from catalog.models import Service
from tests.api_client import assert_error, bearer, send

from .api_helpers import SERVICES, ids, service_url, without_next_free_slot
from .factories import ServiceFactory

pytestmark = pytest.mark.django_db


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
    assert without_next_free_slot(client.get(service_url(own_service)).json()) == body


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
