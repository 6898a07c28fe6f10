import pytest
from django.urls import reverse

from accounts.models import Role

from .factories import AdminFactory, CityFactory, CustomerFactory, ProviderFactory

pytestmark = pytest.mark.django_db


def profile_data(**overrides):
    data = {
        "user-first_name": "Rosa",
        "user-last_name": "Diaz",
        "user-phone": "+442079460000",
        "profile-address": "1 Main St",
        "profile-city": "Austin",
        "profile-state": "TX",
        "profile-postal_code": "78701",
        "profile-time_zone": "America/Chicago",
        "profile-preferred_language": "en",
    }
    return data | overrides


def test_profile_edit_saves_details_and_address(client):
    user = CustomerFactory()
    client.force_login(user)

    response = client.post(reverse("accounts:profile"), profile_data())

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.phone) == ("Rosa", "+442079460000")
    assert (user.profile.city, user.profile.time_zone) == ("Austin", "America/Chicago")


def test_profile_edit_with_bad_phone_shows_error_and_saves_nothing(client):
    user = CustomerFactory(first_name="Before")
    client.force_login(user)

    response = client.post(
        reverse("accounts:profile"),
        profile_data(**{"user-phone": "+1 000", "profile-city": "Kept"}),
    )

    assert response.status_code == 200
    assert "Enter a valid phone number." in response.content.decode()
    assert 'value="Kept"' in response.content.decode()
    user.refresh_from_db()
    assert user.first_name == "Before"
    assert user.profile.city == ""


def test_profile_page_needs_login(client):
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_provider_saves_business_profile_with_cities(client):
    provider = ProviderFactory()
    austin, denver = CityFactory(name="Austin"), CityFactory(name="Denver", state="CO")
    client.force_login(provider)

    response = client.post(
        reverse("accounts:provider_profile"),
        {
            "business_name": "Rosa Fixes Things",
            "bio": "Careful work.",
            "years_of_experience": "7",
            "cities": [austin.pk, denver.pk],
        },
    )

    assert response.status_code == 302
    profile = provider.provider_profile
    profile.refresh_from_db()
    assert profile.business_name == "Rosa Fixes Things"
    assert set(profile.cities.all()) == {austin, denver}


def test_business_profile_errors_keep_input_and_save_nothing(client):
    provider = ProviderFactory()
    client.force_login(provider)

    response = client.post(
        reverse("accounts:provider_profile"),
        {"business_name": "", "bio": "Typed bio", "years_of_experience": "200", "cities": []},
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "This field is required." in body
    assert "less than or equal to 80" in body
    assert "Typed bio" in body
    provider.provider_profile.refresh_from_db()
    assert provider.provider_profile.bio != "Typed bio"


def test_customer_cannot_open_a_business_profile(client):
    client.force_login(CustomerFactory())

    assert client.get(reverse("accounts:provider_profile")).status_code == 403


def test_pending_provider_sees_why_services_are_hidden(client):
    client.force_login(ProviderFactory(verification="PENDING"))

    response = client.get(reverse("accounts:dashboard"))

    assert "your services are hidden from customers" in response.content.decode()


NAV_LINKS = {
    "Log in": reverse("account_login"),
    "Sign up": reverse("account_signup"),
    "Business profile": reverse("accounts:provider_profile"),
    "Admin": reverse("admin:index"),
    "Log out": reverse("account_logout"),
}


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (None, {"Log in", "Sign up"}, {"Business profile", "Admin", "Log out"}),
        (Role.CUSTOMER, {"Log out"}, {"Log in", "Business profile", "Admin"}),
        (Role.PROVIDER, {"Business profile", "Log out"}, {"Log in", "Admin"}),
        (Role.ADMIN, {"Admin", "Log out"}, {"Log in", "Business profile"}),
    ],
)
def test_navigation_shows_what_the_role_can_do(client, role, shown, hidden):
    factories = {
        Role.CUSTOMER: CustomerFactory,
        Role.PROVIDER: ProviderFactory,
        Role.ADMIN: AdminFactory,
    }
    if role:
        client.force_login(factories[role]())

    nav = (
        client.get(reverse("catalog:home"))
        .content.decode()
        .split('aria-label="Main"')[1]
        .split("</nav>")[0]
    )

    for label in shown:
        assert f'"{NAV_LINKS[label]}"' in nav, label
    for label in hidden:
        assert f'"{NAV_LINKS[label]}"' not in nav, label
