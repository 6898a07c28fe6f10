import pytest
from django.urls import reverse

from accounts.models import VerificationStatus
from accounts.tests.factories import CityFactory, ProviderFactory
from catalog.services import save_service_as_staff, set_service_active

from .factories import CategoryFactory, ServiceFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("catalog:search")


def result_titles(response):
    return [service.title for service in response.context["results"].services]


def test_service_of_a_verified_provider_has_a_public_page(client):
    service = ServiceFactory(title="Leak repair", description="We fix leaks fast.")

    response = client.get(service.get_absolute_url())

    body = response.content.decode()
    assert response.status_code == 200
    assert "Leak repair" in body and "We fix leaks fast." in body
    assert "Verified provider" in body
    assert (
        f'<link rel="canonical" href="http://127.0.0.1:8000{service.get_absolute_url()}">' in body
    )
    assert "<title>Leak repair by" in body


@pytest.mark.parametrize("status", [VerificationStatus.PENDING, VerificationStatus.REJECTED])
def test_services_of_unverified_providers_stay_hidden(client, status):
    service = ServiceFactory(provider=ProviderFactory(verification=status).provider_profile)

    assert client.get(service.get_absolute_url()).status_code == 404
    assert service.title not in result_titles(client.get(SEARCH))
    assert service.title not in result_titles(client.get(service.category.get_absolute_url()))


def test_paused_services_stay_hidden(client):
    service = ServiceFactory(is_active=False)

    assert client.get(service.get_absolute_url()).status_code == 404


def test_category_page_lists_services_of_its_descendants(client):
    plumbing = CategoryFactory(name="Plumbing")
    leaks = CategoryFactory(name="Leak repair", parent=plumbing)
    pipes = CategoryFactory(name="Burst pipes", parent=leaks)
    ServiceFactory(title="Deep pipe fix", category=pipes)
    ServiceFactory(title="Unrelated cleaning")

    response = client.get(plumbing.get_absolute_url())

    assert result_titles(response) == ["Deep pipe fix"]
    assert "Leak repair" in response.content.decode()  # subcategory link


def test_unknown_category_is_a_404(client):
    assert client.get(reverse("catalog:category", args=["nope"])).status_code == 404


def test_wrong_slug_redirects_to_the_canonical_service_url(client):
    service = ServiceFactory()

    response = client.get(
        reverse("catalog:service_detail", kwargs={"pk": service.pk, "slug": "old"})
    )

    assert response.status_code == 301
    assert response["Location"] == service.get_absolute_url()


def test_provider_page_lists_their_public_services_only(client):
    provider = ProviderFactory().provider_profile
    ServiceFactory(provider=provider, title="Shown")
    ServiceFactory(provider=provider, title="Paused one", is_active=False)

    body = client.get(provider.get_absolute_url()).content.decode()

    assert "Shown" in body and "Paused one" not in body


def test_pending_provider_has_no_public_page(client):
    provider = ProviderFactory(verification=VerificationStatus.PENDING)

    assert client.get(provider.provider_profile.get_absolute_url()).status_code == 404


def test_search_with_filters_in_the_url_works_without_javascript(client):
    austin = CityFactory(name="Austin")
    pro = ProviderFactory().provider_profile
    pro.cities.add(austin)
    ServiceFactory(provider=pro, title="Pipe repair", base_price=90)
    ServiceFactory(provider=pro, title="Pipe replacement", base_price=400)

    response = client.get(SEARCH, {"q": "pipe", "city": austin.slug, "max_price": "100"})

    assert response.status_code == 200
    assert "<html" in response.content.decode()
    assert result_titles(response) == ["Pipe repair"]


def test_htmx_filter_requests_get_only_the_results_fragment(client):
    ServiceFactory(title="Pipe repair")

    response = client.get(SEARCH, {"q": "pipe"}, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert "<html" not in body
    assert body.lstrip().startswith('<section id="results"')
    assert "Pipe repair" in body
    assert response["Vary"].count("HX-Request") == 1


def test_filter_form_is_shareable_and_enhanced_by_htmx(client):
    body = client.get(SEARCH).content.decode()

    assert 'method="get"' in body and f'action="{SEARCH}"' in body
    assert 'hx-push-url="true"' in body and 'hx-target="#results"' in body


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"min_price": "cheap"}, "Min price: Enter a number."),
        ({"max_price": "-5"}, "Max price: Ensure this value is greater than or equal to 0."),
        ({"category": "no-such-category"}, "Category: Select a valid choice."),
        ({"city": "atlantis"}, "City: Select a valid choice."),
        ({"page": "99999"}, "Only the first 50 pages are shown"),
        ({"page": "abc"}, "Enter a whole number."),
        ({"min_rating": "11"}, "Rating: Select a valid choice."),
        ({"sort": "random"}, "Sort by: Select a valid choice."),
        (
            {"min_price": "50", "max_price": "10"},
            "The maximum price must be at least the minimum price.",
        ),
    ],
)
def test_bad_filter_values_give_a_clean_page_with_a_message(client, params, message):
    ServiceFactory(title="Still listed")

    response = client.get(SEARCH, params)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert result_titles(response) == ["Still listed"]


def test_removable_chips_drop_one_filter_each(client):
    ServiceFactory(title="Pipe repair")

    response = client.get(SEARCH, {"q": "pipe", "max_price": "500"})

    chips = {chip["label"]: chip["url"] for chip in response.context["chips"]}
    assert chips["“pipe”"] == f"{SEARCH}?max_price=500"
    assert chips["Up to 500"] == f"{SEARCH}?q=pipe"


def test_empty_results_suggest_categories(client):
    CategoryFactory(name="Cleaning")

    body = client.get(SEARCH, {"q": "zzzzzz"}).content.decode()

    assert "No services match these filters." in body
    assert "Cleaning" in body


def test_home_shows_categories_featured_services_and_figures(client):
    top = CategoryFactory(name="Electrical")
    CategoryFactory(name="Wiring", parent=top)
    ServiceFactory(title="Featured fix", is_featured=True)
    ServiceFactory(title="Plain fix")

    response = client.get(reverse("catalog:home"))

    body = response.content.decode()
    assert "Electrical" in body and "Wiring" not in body  # top level only
    assert [s.title for s in response.context["featured"]] == ["Featured fix"]
    assert response.context["figures"]["providers"] == 2


def test_home_cache_is_refreshed_when_a_service_is_featured(
    client, django_capture_on_commit_callbacks
):
    service = ServiceFactory(title="Soon featured")
    assert client.get(reverse("catalog:home")).context["featured"] == []

    service.is_featured = True
    with django_capture_on_commit_callbacks(execute=True):
        save_service_as_staff(service=service)

    assert [s.title for s in client.get(reverse("catalog:home")).context["featured"]] == [
        "Soon featured"
    ]


@pytest.mark.parametrize("count", [1, 12])
def test_home_page_query_count_is_constant(client, count, django_assert_num_queries):
    ServiceFactory.create_batch(count, is_featured=True)
    client.get(reverse("catalog:home"))  # warm the cache as any visitor does

    with django_assert_num_queries(0):
        response = client.get(reverse("catalog:home"))

    assert len(response.context["featured"]) == min(count, 8)


@pytest.mark.parametrize("count", [1, 25])
def test_search_page_query_count_is_constant(client, count, django_assert_num_queries):
    category = CategoryFactory()
    ServiceFactory.create_batch(count, category=category, title="Pipe fix")
    client.get(SEARCH)  # warm the category and city caches

    # Vocabulary and word statistics, best matches, rows, the cards' photos and the
    # providers' cities (#18); the next free times were cached by the first visit.
    with django_assert_num_queries(5):
        response = client.get(SEARCH, {"q": "pipe", "category": category.slug})

    assert response.context["results"].count == count


@pytest.mark.parametrize("count", [1, 15])
def test_category_page_query_count_is_constant(client, count, django_assert_num_queries):
    category = CategoryFactory()
    ServiceFactory.create_batch(count, category=category)
    client.get(category.get_absolute_url(), {"sort": "price"})  # caches the tree and cities

    # Count, page ids, those rows, their photos and cities (#18; next free times cached).
    with django_assert_num_queries(5):
        response = client.get(category.get_absolute_url())
    with django_assert_num_queries(0):  # the same page for everyone: cached
        client.get(category.get_absolute_url())

    assert response.context["results"].count == count


def test_category_page_shows_a_paused_service_gone_at_once(
    client, django_capture_on_commit_callbacks
):
    category = CategoryFactory()
    kept, paused = ServiceFactory.create_batch(2, category=category)
    assert client.get(category.get_absolute_url()).context["results"].count == 2

    with django_capture_on_commit_callbacks(execute=True):
        set_service_active(service=paused, user=paused.provider.user, active=False)

    results = client.get(category.get_absolute_url()).context["results"]
    assert [service.title for service in results.services] == [kept.title]


def test_filtered_category_page_is_searched_not_cached(client, django_assert_num_queries):
    category = CategoryFactory()
    ServiceFactory(category=category, base_price=80)
    client.get(category.get_absolute_url(), {"min_price": "50"})

    with django_assert_num_queries(5):  # and the cards' photos and cities (#18)
        response = client.get(category.get_absolute_url(), {"min_price": "50"})

    assert response.context["results"].count == 1


@pytest.mark.parametrize("count", [1, 10])
def test_provider_page_query_count_is_constant(client, count, django_assert_num_queries):
    provider = ProviderFactory().provider_profile
    ServiceFactory.create_batch(count, provider=provider)

    # Provider, their cities, their services, their own photo, the cards' photos, and the
    # next free times' schedules (#18: these providers have none, so nothing more).
    with django_assert_num_queries(6):
        client.get(provider.get_absolute_url())


def test_the_searched_city_travels_from_a_result_to_the_booking_steps(client):
    austin = CityFactory(name="Austin")
    provider = ProviderFactory().provider_profile
    provider.cities.add(austin)
    service = ServiceFactory(provider=provider, title="Leak repair")

    results = client.get(SEARCH, {"city": austin.slug}).content.decode()
    page = client.get(service.get_absolute_url(), {"city": austin.slug}).content.decode()

    assert f'href="{service.get_absolute_url()}?city={austin.slug}"' in results
    assert f'href="{reverse("booking:book_date", args=[service.pk])}?city={austin.slug}"' in page
