"""Onboarding: a new customer lands on a welcome page once the email is confirmed; a new
provider's dashboard shows a checklist that advances as each step is done."""

import re
from datetime import time

import pytest
from django.urls import reverse

from accounts import services as account_services
from accounts.models import Role, VerificationStatus
from accounts.tests.factories import (
    PASSWORD,
    AdminFactory,
    CityFactory,
    CustomerFactory,
    UserFactory,
    apply_for_verification,
)
from booking import services as booking_services
from catalog.tests.factories import ServiceFactory
from pages.onboarding import provider_checklist

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _documents(private_media_root):
    return private_media_root


def _done(provider):
    return [step.done for step in provider_checklist(provider).steps]


def test_the_checklist_advances_as_each_step_is_done(django_assert_num_queries):
    user = UserFactory(role=Role.PROVIDER)
    provider = user.provider_profile
    with django_assert_num_queries(1):
        assert _done(provider) == [False] * 5

    account_services.update_provider_profile(
        user=user, fields={"business_name": "Diaz Plumbing"}, cities=[CityFactory()]
    )
    assert _done(provider) == [True, False, False, False, False]

    ServiceFactory(provider=provider, title="Leak repair")
    assert _done(provider) == [True, True, False, False, False]

    booking_services.set_weekly_availability(provider=provider, intervals=[(0, time(9), time(17))])
    assert _done(provider) == [True, True, True, False, False]

    apply_for_verification(user)
    assert _done(provider) == [True, True, True, True, False]

    account_services.decide_verification(
        provider=provider, status=VerificationStatus.VERIFIED, by=AdminFactory()
    )
    checklist = provider_checklist(provider)
    assert _done(provider) == [True] * 5
    assert checklist.complete and checklist.steps[-1].url == provider.get_absolute_url()


def test_a_business_name_without_cities_is_not_a_finished_profile():
    user = UserFactory(role=Role.PROVIDER)
    account_services.update_provider_profile(
        user=user, fields={"business_name": "Diaz Plumbing"}, cities=[]
    )

    assert _done(user.provider_profile)[0] is False


def test_the_dashboard_shows_progress_what_is_next_and_links_each_step(client):
    user = UserFactory(role=Role.PROVIDER)
    account_services.update_provider_profile(
        user=user, fields={"business_name": "Diaz Plumbing"}, cities=[CityFactory()]
    )
    client.force_login(user)

    page = client.get(reverse("accounts:dashboard")).content.decode()

    assert "1 of 5 steps done" in page
    assert '<progress id="checklist-progress" max="5" value="1">' in page
    assert f'Next: <a href="{reverse("catalog:service_create")}">Add a service</a>' in page
    for name in (
        "accounts:provider_profile",
        "catalog:service_create",
        "booking:availability",
        "accounts:verification",
    ):
        assert f'href="{reverse(name)}"' in page, name
    assert "A first service" in page  # photos come with #18


def test_a_live_provider_no_longer_sees_the_checklist(client):
    service = ServiceFactory()  # a verified provider's listed service
    user = service.provider.user
    booking_services.set_weekly_availability(
        provider=service.provider, intervals=[(0, time(9), time(17))]
    )
    service.provider.cities.add(CityFactory())
    client.force_login(user)

    page = client.get(reverse("accounts:dashboard")).content.decode()

    assert "steps done" not in page


def _confirm(client, mailoutbox, role):
    client.post(
        reverse("account_signup"),
        {
            "first_name": "Rosa",
            "last_name": "Diaz",
            "email": "rosa@example.com",
            "role": role,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mailoutbox[0].body)
    return client.post(link.group(1))


def test_a_new_customer_lands_on_the_welcome_page_with_search_and_next_steps(client, mailoutbox):
    response = _confirm(client, mailoutbox, Role.CUSTOMER)

    assert response["Location"] == reverse("pages:welcome")
    page = client.get(response["Location"]).content.decode()
    assert "Welcome, Rosa" in page
    assert f'action="{reverse("catalog:search")}" role="search"' in page
    assert f'href="{reverse("booking:my_bookings")}"' in page
    assert "Your bookings will show here" not in page


def test_a_new_provider_lands_on_the_first_step_of_their_checklist(client, mailoutbox):
    response = _confirm(client, mailoutbox, Role.PROVIDER)

    assert response["Location"] == reverse("accounts:provider_profile")


def test_the_welcome_page_is_for_customers(client):
    provider = UserFactory(role=Role.PROVIDER)
    client.force_login(provider)

    assert client.get(reverse("pages:welcome"))["Location"] == reverse("accounts:dashboard")


def test_a_customers_dashboard_points_to_my_bookings(client):
    client.force_login(CustomerFactory())

    page = client.get(reverse("accounts:dashboard")).content.decode()

    assert f'href="{reverse("booking:my_bookings")}">My bookings</a>' in page
