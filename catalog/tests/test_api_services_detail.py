"""GET /api/services/{id}/: one listed service."""

import pytest

from accounts.models import VerificationStatus
from accounts.tests.factories import ProviderFactory
from tests.api_client import assert_error, send

from .api_helpers import SERVICES, service_url
from .factories import ServiceFactory

pytestmark = pytest.mark.django_db


def test_one_listed_service(client):
    service = ServiceFactory(title="Deep clean")

    response = client.get(service_url(service))

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["title"], body["is_active"]) == (service.pk, "Deep clean", True)
    assert body["url"] == f"http://testserver{service.get_absolute_url()}"
    # The same shape as in search, plus the next free start (none: no working hours).
    assert body.pop("next_free_slot") is None
    assert body == client.get(SERVICES).json()["results"][0]


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


def test_a_bookable_service_says_when_it_is_next_free(client, time_machine):
    from booking.tests.factories import bookable_service, local

    time_machine.move_to(local(2026, 3, 2, 8), tick=False)  # a Monday, before opening
    service = bookable_service()

    body = client.get(service_url(service)).json()

    assert body["next_free_slot"] == {
        "starts_at": "2026-03-02T09:00:00-06:00",
        "scheduled_date": "2026-03-02",
        "scheduled_time": "09:00",
    }
