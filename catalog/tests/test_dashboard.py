"""Providers manage their own services; nobody else's."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import VerificationStatus
from accounts.tests.factories import CustomerFactory, ProviderFactory
from catalog.models import Service

from .factories import CategoryFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(client):
    user = ProviderFactory()
    client.force_login(user)
    return user


def form_data(chosen_category, **overrides):
    data = {
        "title": "Leak repair",
        "slug": "",
        "category": chosen_category.pk,
        "short_description": "Fast fixes.",
        "description": "Any leak, any pipe.",
        "pricing_type": "FIXED",
        "base_price": "120.00",
        "currency": "USD",
        "duration_minutes": "90",
        "is_active": "on",
    }
    return data | overrides


def test_provider_creates_a_service_that_customers_can_find(client, provider):
    category = CategoryFactory()

    response = client.post(reverse("catalog:service_create"), form_data(category))

    assert response.status_code == 302
    service = Service.objects.get(provider__user=provider)
    assert (service.slug, service.currency, service.is_listed) == ("leak-repair", "USD", True)
    assert client.get(service.get_absolute_url()).status_code == 200


def test_htmx_create_redirects_the_browser_to_the_list(client, provider):
    response = client.post(
        reverse("catalog:service_create"), form_data(CategoryFactory()), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("catalog:my_services")


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"base_price": "0"}, "Ensure this value is greater than or equal to 0.01."),
        ({"base_price": "-10"}, "Ensure this value is greater than or equal to 0.01."),
        ({"duration_minutes": "5000"}, "Select a valid choice. 5000 is not one"),
        ({"currency": "dollars"}, "Use a three-letter ISO 4217 code of a currency in use"),
        ({"title": ""}, "This field is required."),
        ({"category": "999999"}, "Select a valid choice."),
    ],
)
def test_bad_input_shows_errors_in_place_and_saves_nothing(client, provider, overrides, error):
    response = client.post(
        reverse("catalog:service_create"),
        form_data(CategoryFactory(), **overrides),
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert error in body
    assert body.lstrip().startswith('<form id="service-form"')  # only the form is swapped
    assert 'value="Fast fixes."' in body  # what was typed is kept
    assert not Service.objects.exists()


def test_taken_slug_is_refused(client, provider):
    category = CategoryFactory()
    ServiceFactory(provider=provider.provider_profile, slug="leak-repair", title="Leak repair")

    response = client.post(
        reverse("catalog:service_create"), form_data(category, slug="leak-repair")
    )

    assert "You already have a service with this slug." in response.content.decode()
    assert Service.objects.count() == 1


def test_same_title_twice_gets_a_distinct_slug(client, provider):
    category = CategoryFactory()
    client.post(reverse("catalog:service_create"), form_data(category))
    client.post(reverse("catalog:service_create"), form_data(category))

    slugs = list(Service.objects.values_list("slug", flat=True))
    assert len(set(slugs)) == 2


def test_provider_edits_their_service(client, provider):
    service = ServiceFactory(provider=provider.provider_profile)

    response = client.post(
        reverse("catalog:service_edit", args=[service.pk]),
        form_data(service.category, title="Better title", base_price="99.50"),
    )

    assert response.status_code == 302
    service.refresh_from_db()
    assert (service.title, service.base_price) == ("Better title", Decimal("99.50"))


def test_pause_hides_and_resume_shows_again(client, provider):
    service = ServiceFactory(provider=provider.provider_profile)
    toggle = reverse("catalog:service_toggle", args=[service.pk])

    response = client.post(toggle, HTTP_HX_REQUEST="true")

    assert "Paused" in response.content.decode()
    assert client.get(service.get_absolute_url()).status_code == 404
    client.post(toggle)
    assert client.get(service.get_absolute_url()).status_code == 200


def test_provider_deletes_their_service(client, provider):
    service = ServiceFactory(provider=provider.provider_profile)

    response = client.post(reverse("catalog:service_delete", args=[service.pk]))

    assert response.status_code == 302
    assert not Service.objects.filter(pk=service.pk).exists()


@pytest.mark.parametrize("name", ["service_edit", "service_toggle", "service_delete"])
def test_another_providers_service_is_not_found(client, provider, name):
    theirs = ServiceFactory(title="Not yours", base_price=Decimal("50"))

    get = client.get(reverse(f"catalog:{name}", args=[theirs.pk]))
    post = client.post(
        reverse(f"catalog:{name}", args=[theirs.pk]), form_data(theirs.category, title="Hijacked")
    )

    assert get.status_code in (404, 405)
    assert post.status_code == 404
    theirs.refresh_from_db()
    assert (theirs.title, theirs.is_active) == ("Not yours", True)


def test_service_list_shows_only_the_providers_own(client, provider):
    ServiceFactory(provider=provider.provider_profile, title="Mine")
    ServiceFactory(title="Someone else's")

    body = client.get(reverse("catalog:my_services")).content.decode()

    assert "Mine" in body and "Someone else" not in body


def test_pending_provider_is_told_why_services_are_hidden(client):
    pending = ProviderFactory(verification=VerificationStatus.PENDING)
    client.force_login(pending)
    ServiceFactory(provider=pending.provider_profile, title="Waiting")

    body = client.get(reverse("catalog:my_services")).content.decode()

    assert "your services are hidden from customers" in body
    assert "Hidden until you are verified" in body


@pytest.mark.parametrize("name", ["my_services", "service_create"])
def test_customers_cannot_use_the_provider_dashboard(client, name):
    client.force_login(CustomerFactory())

    assert client.get(reverse(f"catalog:{name}")).status_code == 403


def test_dashboard_needs_login(client):
    response = client.get(reverse("catalog:my_services"))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
