"""The insights row's provider (#21): a year of bookings and views, rolled up as the Huey job
keeps them (a recount finds no drift), rewritten rather than added to on a second run, and
its insights page served from the rollups."""

import pytest

from accounts.tests.factories import CustomerFactory
from bench import insights_fixture
from booking.models import Booking
from booking.tests.factories import bookable_service
from insights import selectors

pytestmark = pytest.mark.django_db


def test_the_insights_provider_has_a_year_of_business_and_no_drift(client, monkeypatch):
    monkeypatch.setattr(insights_fixture, "BOOKINGS", 400)
    bookable_service()  # a seeded city and category
    customers = [CustomerFactory() for _ in range(5)]

    insights_fixture.insights_provider(customers=customers, password="pw-1")
    service = insights_fixture.insights_provider(customers=customers, password="pw-2")

    provider = service.provider
    assert Booking.objects.filter(provider=provider).count() == 400
    assert (
        selectors.rollup_drift(providers=type(provider).objects.filter(pk=provider.pk)).drifts == []
    )
    figures = selectors.insights_for(provider, "365d")
    assert figures.current.completed + figures.previous.completed == 300  # 15 in 20
    assert figures.current.views > 0
    assert len(figures.funnel) == insights_fixture.SERVICES
    assert client.login(email=insights_fixture.INSIGHTS_EMAIL, password="pw-2")
    assert client.get("/dashboard/insights/?period=365d").status_code == 200
