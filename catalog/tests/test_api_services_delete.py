"""DELETE /api/services/{id}/: a provider deletes their own service."""

import pytest
from django.db.models import ProtectedError

from accounts.tests.factories import CustomerFactory, ProviderFactory
from catalog.models import Service
from tests.api_client import assert_error, bearer

from .api_helpers import service_url

pytestmark = pytest.mark.django_db


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
