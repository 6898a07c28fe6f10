"""Django admin changes services and categories through catalog.services, as the site does:
what customers see follows at once, and a refusal is shown with nothing saved."""

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from accounts.services import change_role
from accounts.tests.factories import (
    AdminFactory,
    CityFactory,
    ProviderFactory,
    SuperadminFactory,
)
from catalog.models import Service, ServiceCategory

from .factories import CategoryFactory, ServiceFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:catalog_service_changelist")
ADD = reverse("admin:catalog_service_add")
SEARCH = reverse("catalog:search")


def change_url(service):
    return reverse("admin:catalog_service_change", args=[service.pk])


@pytest.fixture(params=[AdminFactory, SuperadminFactory], ids=["admin", "superadmin"])
def staff(request, client):
    user = request.param()
    client.force_login(user)
    return user


@pytest.fixture
def visitor():
    """Someone browsing the public site, apart from the admin's session."""
    return Client()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what the admin's request leaves for after its commit (cache invalidation)."""

    def run(request, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return request(*args, **kwargs)

    return run


def form_data(service, **changes):
    """The admin's change form for `service` as shown, with `changes`; a False box is left out."""
    data = {
        "title": service.title,
        "slug": service.slug,
        "category": service.category_id,
        "short_description": service.short_description,
        "description": service.description,
        "pricing_type": service.pricing_type,
        "base_price": str(service.base_price),
        "currency": service.currency,
        "duration_minutes": service.duration_minutes,
        "is_active": "on" if service.is_active else "",
        "is_featured": "on" if service.is_featured else "",
    } | changes
    return {name: value for name, value in data.items() if value != ""}


def search_titles(client, **params):
    return [service.title for service in client.get(SEARCH, params).context["results"].services]


def category_titles(client, category):
    results = client.get(category.get_absolute_url()).context["results"]
    return [service.title for service in results.services]


def shown_messages(response):
    return [str(message) for message in response.context["messages"]]


def test_pausing_a_service_in_admin_takes_it_off_search_its_category_and_its_page(
    client, staff, visitor, on_commit
):
    category = CategoryFactory(name="Plumbing")
    service = ServiceFactory(title="Leak repair", category=category)
    assert category_titles(visitor, category) == ["Leak repair"]  # now cached

    response = on_commit(client.post, change_url(service), form_data(service, is_active=""))

    assert response.status_code == 302
    service.refresh_from_db()
    assert (service.is_active, service.is_listed) == (False, False)
    assert search_titles(visitor, q="leak") == []
    assert category_titles(visitor, category) == []
    assert visitor.get(service.get_absolute_url()).status_code == 404


def test_the_pause_and_resume_actions_hide_and_show_services_again(
    client, staff, visitor, on_commit
):
    category = CategoryFactory()
    paused, kept = (
        ServiceFactory(title="Gutter cleaning", category=category),
        ServiceFactory(title="Gutter repair", category=category),
    )
    assert len(category_titles(visitor, category)) == 2

    paused_response = on_commit(
        client.post,
        CHANGELIST,
        {"action": "pause_services", "_selected_action": [paused.pk]},
        follow=True,
    )

    assert "Paused 1 service(s)." in shown_messages(paused_response)
    assert category_titles(visitor, category) == ["Gutter repair"]
    assert search_titles(visitor, q="gutter") == ["Gutter repair"]
    assert visitor.get(paused.get_absolute_url()).status_code == 404

    on_commit(
        client.post, CHANGELIST, {"action": "resume_services", "_selected_action": [paused.pk]}
    )

    paused.refresh_from_db()
    assert (paused.is_active, paused.is_listed) == (True, True)
    assert sorted(category_titles(visitor, category)) == ["Gutter cleaning", "Gutter repair"]
    assert visitor.get(paused.get_absolute_url()).status_code == 200
    kept.refresh_from_db()
    assert kept.is_listed


def test_a_title_changed_in_admin_is_found_by_its_new_words_only(client, staff, visitor, on_commit):
    service = ServiceFactory(title="Leak repair")

    on_commit(client.post, change_url(service), form_data(service, title="Chimney\nsweeping"))

    service.refresh_from_db()
    assert service.title == "Chimney sweeping"  # one line, as the service keeps titles
    assert search_titles(visitor, q="chimney") == ["Chimney sweeping"]
    assert search_titles(visitor, q="leak") == []


def test_an_admin_adds_a_service_for_a_provider_and_customers_find_it_at_once(
    client, staff, visitor, on_commit
):
    provider = ProviderFactory().provider_profile
    service = ServiceFactory.build(category=CategoryFactory())

    response = on_commit(
        client.post,
        ADD,
        form_data(service, title="Tile grouting", slug="", provider=provider.pk),
    )

    assert response.status_code == 302
    added = Service.objects.get(provider=provider)
    assert (added.title, added.slug, added.is_listed) == ("Tile grouting", "tile-grouting", True)
    assert search_titles(visitor, q="grouting") == ["Tile grouting"]
    assert visitor.get(added.get_absolute_url()).status_code == 200


def test_featuring_a_service_in_admin_puts_it_on_the_home_page(client, staff, visitor, on_commit):
    service = ServiceFactory(title="Roof check")
    assert visitor.get(reverse("catalog:home")).context["featured"] == []  # now cached

    on_commit(client.post, change_url(service), form_data(service, is_featured="on"))

    service.refresh_from_db()
    assert service.is_featured
    featured = visitor.get(reverse("catalog:home")).context["featured"]
    assert [s.title for s in featured] == ["Roof check"]


def test_a_refused_change_is_shown_on_the_form_and_nothing_is_saved(client, staff):
    provider = ProviderFactory().provider_profile
    ServiceFactory(provider=provider, title="Leak repair", slug="leak-repair")
    service = ServiceFactory(provider=provider, title="Drain unblocking", slug="drains")

    response = client.post(
        change_url(service), form_data(service, title="Drain work", slug="leak-repair")
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "Please correct the error below." in body
    assert response.context["adminform"].form.errors["slug"] == [
        "You already have a service with this slug."
    ]
    assert 'value="Drain work"' in body  # the form as it was sent
    service.refresh_from_db()
    assert (service.title, service.slug) == ("Drain unblocking", "drains")
    assert not LogEntry.objects.exists()


def test_a_service_cannot_be_added_for_someone_who_no_longer_offers_services(client, staff):
    former = ProviderFactory()
    change_role(user=former, role=Role.CUSTOMER)
    service = ServiceFactory.build(category=CategoryFactory())

    response = client.post(
        ADD, form_data(service, title="Tile grouting", provider=former.provider_profile.pk)
    )

    assert response.status_code == 200
    assert "Only providers can offer services." in response.content.decode()
    assert not Service.objects.filter(title="Tile grouting").exists()
    assert not LogEntry.objects.exists()


def test_the_provider_of_a_service_cannot_be_changed_in_admin(client, staff):
    service = ServiceFactory()
    owner = service.provider
    other = ProviderFactory().provider_profile

    client.post(change_url(service), form_data(service, provider=other.pk))

    service.refresh_from_db()
    assert service.provider == owner


def test_deleting_a_service_in_admin_takes_it_off_its_category_page(
    client, staff, visitor, on_commit
):
    category = CategoryFactory()
    service = ServiceFactory(title="Leak repair", category=category)
    assert category_titles(visitor, category) == ["Leak repair"]  # now cached
    delete_url = reverse("admin:catalog_service_delete", args=[service.pk])

    response = on_commit(client.post, delete_url, {"post": "yes"}, follow=True)

    assert "The service “Leak repair” was deleted successfully." in shown_messages(response)
    assert not Service.objects.filter(pk=service.pk).exists()
    assert category_titles(visitor, category) == []


def test_the_bulk_delete_action_deletes_through_the_service_layer(
    client, staff, visitor, on_commit
):
    category = CategoryFactory()
    doomed = ServiceFactory.create_batch(2, category=category)
    assert len(category_titles(visitor, category)) == 2

    response = on_commit(
        client.post,
        CHANGELIST,
        {
            "action": "delete_selected",
            "_selected_action": [service.pk for service in doomed],
            "post": "yes",
        },
        follow=True,
    )

    assert "Successfully deleted 2 services." in shown_messages(response)
    assert not Service.objects.exists()
    assert category_titles(visitor, category) == []


def test_a_category_placed_under_its_own_subcategory_is_refused_on_the_form(client, staff):
    parent = CategoryFactory(name="Home")
    child = CategoryFactory(name="Plumbing", parent=parent)
    url = reverse("admin:catalog_servicecategory_change", args=[parent.pk])

    response = client.post(
        url,
        {"name": "Home", "slug": parent.slug, "parent": child.pk, "ordering": 0, "is_active": "on"},
    )

    assert response.status_code == 200
    assert (
        "A category cannot be placed under itself or one of its subcategories."
        in response.content.decode()
    )
    parent.refresh_from_db()
    assert parent.parent_id is None
    assert ServiceCategory.objects.get(pk=child.pk).parent_id == parent.pk


def provider_form_data(client, provider, **changes):
    """The provider admin's change form as shown (its inlines left empty), with `changes`."""
    response = client.get(
        reverse("admin:accounts_serviceproviderprofile_change", args=[provider.pk])
    )
    form = response.context["adminform"].form
    data = {
        name: form.initial.get(name) if form.initial.get(name) is not None else ""
        for name in form.fields
    }
    data["cities"] = [city.pk for city in provider.cities.all()]
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    return data | changes


def test_cities_changed_in_the_provider_admin_move_their_services_in_search(
    client, staff, visitor, on_commit
):
    austin, denver = CityFactory(name="Austin"), CityFactory(name="Denver", state="CO")
    provider, other = ProviderFactory().provider_profile, ProviderFactory().provider_profile
    provider.cities.add(denver)
    other.cities.add(austin, denver)
    ServiceFactory(provider=provider, title="Moving help")
    ServiceFactory(provider=other, title="Plumbing")
    assert search_titles(visitor, city=austin.slug) == ["Plumbing"]

    response = on_commit(
        client.post,
        reverse("admin:accounts_serviceproviderprofile_change", args=[provider.pk]),
        provider_form_data(client, provider, cities=[austin.pk]),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert sorted(search_titles(visitor, city=austin.slug)) == ["Moving help", "Plumbing"]
    assert search_titles(visitor, city=denver.slug) == ["Plumbing"]
