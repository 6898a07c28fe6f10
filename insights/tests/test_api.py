"""GET /api/me/insights/: the page's figures as JSON, for the provider alone (#21)."""

from decimal import Decimal

import pytest

from accounts.tests.factories import CustomerFactory, ProviderFactory
from booking.models import BookingStatus
from booking.tests.factories import local
from insights import services
from tests.api_client import bearer

from .factories import job, provider_service

pytestmark = pytest.mark.django_db

S = BookingStatus
URL = "/api/me/insights/"


@pytest.fixture
def service(time_machine):
    time_machine.move_to(local(2026, 1, 1, 8), tick=False)
    service = provider_service(base_price=Decimal("75.00"), title="Tiling")
    job(service, local(2026, 3, 27, 10), answer=S.CONFIRMED, finish=S.COMPLETED)
    time_machine.move_to(local(2026, 3, 31, 20), tick=False)
    services.roll_up_history(provider=service.provider)
    return service


def test_the_figures_of_the_period_and_the_one_before(client, service):
    response = client.get(URL, {"period": "7d"}, **bearer(service.provider.user))

    body = response.json()
    assert response.status_code == 200
    assert (body["period"], body["time_zone"]) == ("7d", "America/Chicago")
    assert (body["current"]["first_day"], body["current"]["last_day"]) == (
        "2026-03-25",
        "2026-03-31",
    )
    assert body["current"]["completed"] == 1
    assert body["current"]["earnings"] == {"USD": "75.00"}
    assert body["current"]["median_answer_minutes"] == 30.0
    assert body["previous"]["first_day"] == "2026-03-18"
    assert body["funnel"] == [
        {
            "service_id": service.pk,
            "title": "Tiling",
            "views": 0,
            "requests": 1,
            "confirmed": 1,
            "completed": 1,
        }
    ]


def test_an_unknown_period_is_a_400_naming_it(client, service):
    response = client.get(URL, {"period": "1y"}, **bearer(service.provider.user))

    assert response.status_code == 400
    assert "period" in response.content.decode()


def test_another_provider_gets_their_own_empty_figures(client, service):
    body = client.get(URL, **bearer(ProviderFactory())).json()

    assert body["current"]["completed"] == 0 and body["funnel"] == []


def test_customers_get_403(client, service):
    assert client.get(URL, **bearer(CustomerFactory())).status_code == 403


def test_the_schema_documents_both_operations(client):
    paths = client.get("/api/schema/").json()["paths"]

    assert "period" in str(paths["/api/me/insights/"]["get"]["parameters"])
    assert "/api/me/clients/" in paths
