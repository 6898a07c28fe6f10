import pytest
from django.urls import reverse

from accounts.models import VerificationStatus
from accounts.tests.factories import ProviderFactory

from .factories import CategoryFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def test_service_of_a_verified_provider_has_a_public_page(client):
    service = ServiceFactory(title="Leak repair")

    response = client.get(service.get_absolute_url())

    assert response.status_code == 200
    assert "Leak repair" in response.content.decode()


@pytest.mark.parametrize("status", [VerificationStatus.PENDING, VerificationStatus.REJECTED])
def test_services_of_unverified_providers_stay_hidden(client, status):
    service = ServiceFactory(provider=ProviderFactory(verification=status).provider_profile)

    assert client.get(service.get_absolute_url()).status_code == 404
    assert service.title not in client.get(service.category.get_absolute_url()).content.decode()


def test_paused_services_stay_hidden(client):
    service = ServiceFactory(is_active=False)

    assert client.get(service.get_absolute_url()).status_code == 404


def test_category_page_lists_services_of_its_descendants(client):
    plumbing = CategoryFactory(name="Plumbing")
    leaks = CategoryFactory(name="Leak repair", parent=plumbing)
    pipes = CategoryFactory(name="Burst pipes", parent=leaks)
    ServiceFactory(title="Deep pipe fix", category=pipes)
    ServiceFactory(title="Unrelated cleaning")

    body = client.get(plumbing.get_absolute_url()).content.decode()

    assert "Deep pipe fix" in body
    assert "Unrelated cleaning" not in body


def test_wrong_slug_redirects_to_the_canonical_service_url(client):
    service = ServiceFactory()

    response = client.get(
        reverse("catalog:service_detail", kwargs={"pk": service.pk, "slug": "old"})
    )

    assert response.status_code == 301
    assert response["Location"] == service.get_absolute_url()


def test_pending_provider_has_no_public_page(client):
    provider = ProviderFactory(verification=VerificationStatus.PENDING)

    assert client.get(provider.provider_profile.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("count", [1, 12])
def test_home_page_queries_do_not_grow_with_featured_services(
    client, count, django_assert_num_queries
):
    ServiceFactory.create_batch(count, is_featured=True)

    with django_assert_num_queries(2):
        response = client.get(reverse("catalog:home"))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 15])
def test_category_page_queries_do_not_grow_with_results(client, count, django_assert_num_queries):
    category = CategoryFactory()
    ServiceFactory.create_batch(count, category=category)

    with django_assert_num_queries(5):
        response = client.get(category.get_absolute_url())

    assert len(response.context["page"]) == count
