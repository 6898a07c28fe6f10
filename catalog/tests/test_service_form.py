"""The service form asks what a provider knows (#21): no address unless they open "Advanced",
a currency from a list defaulting to the marketplace's, a duration from sensible steps."""

import re

import pytest
from django.urls import reverse

from accounts.tests.factories import ProviderFactory
from catalog.models import Service

from .factories import CategoryFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(client):
    user = ProviderFactory()
    client.force_login(user)
    return user


def _selected(body: str, name: str) -> str:
    select = re.search(rf'<select name="{name}".*?</select>', body, re.S).group(0)
    return re.search(r'<option value="([^"]*)"[^>]*selected', select).group(1)


def test_the_page_address_is_only_under_advanced(client, provider):
    body = client.get(reverse("catalog:service_create")).content.decode()

    advanced = re.search(r'<details class="advanced">.*?</details>', body, re.S).group(0)
    assert 'name="slug"' in advanced
    assert body.count('name="slug"') == 1


def test_currency_is_a_list_of_codes_defaulting_to_the_marketplace_currency(
    client, provider, settings
):
    settings.DEFAULT_CURRENCY = "EUR"

    body = client.get(reverse("catalog:service_create")).content.decode()

    assert _selected(body, "currency") == "EUR"
    assert '<option value="GBP">GBP — Pound sterling</option>' in body


def test_duration_is_a_choice_of_steps(client, provider):
    body = client.get(reverse("catalog:service_create")).content.decode()

    assert _selected(body, "duration_minutes") == "60"
    assert '<option value="90">1 h 30 min</option>' in body
    assert '<option value="720">12 h</option>' in body
    assert 'value="50"' not in body


def test_a_service_made_elsewhere_keeps_its_odd_duration_and_currency(client, provider):
    service = ServiceFactory(
        provider=provider.provider_profile, duration_minutes=50, currency="XOF"
    )

    body = client.get(reverse("catalog:service_edit", args=[service.pk])).content.decode()

    assert _selected(body, "duration_minutes") == "50"
    assert _selected(body, "currency") == "XOF"


def test_a_service_saved_without_an_address_gets_one_from_its_title(client, provider):
    data = {
        "title": "Gutter cleaning",
        "category": CategoryFactory().pk,
        "pricing_type": "FIXED",
        "base_price": "80.00",
        "currency": "USD",
        "duration_minutes": "120",
        "is_active": "on",
    }

    client.post(reverse("catalog:service_create"), data)

    assert Service.objects.get().slug == "gutter-cleaning"
