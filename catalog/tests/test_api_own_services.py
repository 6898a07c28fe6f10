"""GET /api/me/services/: a provider's own services, paused ones included."""

import pytest

from accounts.tests.factories import CustomerFactory
from catalog.services import set_service_active
from tests.api_client import assert_error, bearer

from .factories import ServiceFactory

pytestmark = pytest.mark.django_db

MINE = "/api/me/services/"


def test_a_provider_sees_every_service_of_theirs_newest_first(client, provider):
    listed = ServiceFactory(provider=provider.provider_profile, title="Listed")
    paused = ServiceFactory(provider=provider.provider_profile, title="Paused")
    set_service_active(service=paused, user=provider, active=False)
    ServiceFactory(title="Someone else's")

    body = client.get(MINE, **bearer(provider)).json()

    assert [(s["id"], s["is_active"]) for s in body["results"]] == [
        (paused.pk, False),
        (listed.pk, True),
    ]
    assert body["count"] == 2


def test_customers_have_no_services(client):
    assert_error(client.get(MINE, **bearer(CustomerFactory())), 403)
