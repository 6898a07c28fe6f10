"""Admins run the marketplace; only Superadmins manage Admins and Superadmins (in the real admin)."""

import pytest
from django.urls import reverse

from accounts.models import Role, User
from core.roles import ADMIN_GROUP_NAME

from .factories import AdminFactory, CustomerFactory, SuperadminFactory

pytestmark = pytest.mark.django_db


def change_url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


def change_data(user, **overrides):
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": "",
        "role": user.role,
        "is_active": "on",
        "profile-TOTAL_FORMS": "1",
        "profile-INITIAL_FORMS": "1",
        "profile-MIN_NUM_FORMS": "0",
        "profile-MAX_NUM_FORMS": "1",
        "profile-0-id": user.profile.pk,
        "profile-0-user": user.pk,
        "profile-0-time_zone": "UTC",
        "profile-0-preferred_language": "en",
    }
    return data | overrides


@pytest.fixture
def admin_client(client):
    client.force_login(AdminFactory())
    return client


@pytest.fixture
def superadmin_client(client):
    client.force_login(SuperadminFactory())
    return client


def test_admin_can_edit_a_customer(admin_client):
    customer = CustomerFactory(first_name="Old")

    response = admin_client.post(change_url(customer), change_data(customer, first_name="New"))

    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.first_name == "New"


def test_admin_cannot_make_a_customer_an_admin(admin_client):
    customer = CustomerFactory()

    response = admin_client.post(change_url(customer), change_data(customer, role=Role.ADMIN))

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    customer.refresh_from_db()
    assert customer.role == Role.CUSTOMER
    assert not customer.is_staff


@pytest.mark.parametrize("factory", [AdminFactory, SuperadminFactory])
def test_admin_cannot_edit_admins_or_superadmins(admin_client, factory):
    other = factory(first_name="Kept")

    response = admin_client.post(change_url(other), change_data(other, first_name="Changed"))

    assert response.status_code == 403
    other.refresh_from_db()
    assert other.first_name == "Kept"


@pytest.mark.parametrize("factory", [AdminFactory, SuperadminFactory])
def test_admin_cannot_delete_admins_or_superadmins(admin_client, factory):
    other = factory()

    response = admin_client.post(
        reverse("admin:accounts_user_delete", args=[other.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert User.objects.filter(pk=other.pk).exists()


def test_admin_bulk_delete_is_refused_when_an_admin_is_selected(admin_client):
    other_admin = AdminFactory()
    customer = CustomerFactory()

    admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [other_admin.pk, customer.pk],
            "post": "yes",
        },
    )

    assert User.objects.filter(pk=other_admin.pk).exists()
    assert User.objects.filter(pk=customer.pk).exists()


def test_admin_cannot_create_an_admin(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "sneaky@example.com",
            "role": Role.ADMIN,
            "usable_password": "true",
            "password1": "Another-long-passphrase-1",
            "password2": "Another-long-passphrase-1",
        },
    )

    assert response.status_code == 200
    assert not User.objects.filter(email="sneaky@example.com").exists()


def test_admin_cannot_manage_groups_and_permissions(admin_client):
    assert admin_client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_superadmin_promotes_a_customer_to_admin(superadmin_client):
    customer = CustomerFactory()

    response = superadmin_client.post(change_url(customer), change_data(customer, role=Role.ADMIN))

    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.is_staff and not customer.is_superuser
    assert customer.groups.filter(name=ADMIN_GROUP_NAME).exists()


def test_superadmin_can_edit_an_admin(superadmin_client):
    other = AdminFactory(first_name="Old")

    response = superadmin_client.post(change_url(other), change_data(other, first_name="New"))

    assert response.status_code == 302
    other.refresh_from_db()
    assert other.first_name == "New"


def test_customers_and_providers_cannot_open_the_admin(client):
    client.force_login(CustomerFactory())

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


# --- Email addresses: the key to an account (password resets go to them) ----------------


def email_address_data(user, email, **overrides):
    return {"user": user.pk, "email": email, "verified": "on", "primary": "on"} | overrides


def test_admins_cannot_redirect_a_superadmins_email_to_take_the_account_over(admin_client):
    # Regression: Admins could change (or add) a Superadmin's verified address, then reset
    # the Superadmin's password through it.
    superadmin = SuperadminFactory()
    address = superadmin.emailaddress_set.get()

    change = admin_client.post(
        reverse("admin:account_emailaddress_change", args=[address.pk]),
        email_address_data(superadmin, "attacker@example.com"),
    )
    add = admin_client.post(
        reverse("admin:account_emailaddress_add"),
        email_address_data(superadmin, "attacker2@example.com"),
    )
    delete = admin_client.post(
        reverse("admin:account_emailaddress_delete", args=[address.pk]), {"post": "yes"}
    )

    bulk_delete = admin_client.post(
        reverse("admin:account_emailaddress_changelist"),
        {"action": "delete_selected", "_selected_action": [address.pk], "post": "yes"},
    )

    assert change.status_code == 403
    assert add.status_code == 200 and b"errornote" in add.content  # refused: not a choice
    assert delete.status_code == 403
    assert bulk_delete.status_code == 403
    assert list(superadmin.emailaddress_set.values_list("email", flat=True)) == [superadmin.email]


def test_admins_still_manage_customers_email_addresses(admin_client):
    customer = CustomerFactory()
    address = customer.emailaddress_set.get()

    response = admin_client.post(
        reverse("admin:account_emailaddress_change", args=[address.pk]),
        email_address_data(customer, "new-address@example.com"),
    )

    assert response.status_code == 302
    address.refresh_from_db()
    assert address.email == "new-address@example.com"


def test_superadmins_manage_every_email_address(client):
    client.force_login(SuperadminFactory())
    admin = AdminFactory()
    address = admin.emailaddress_set.get()

    response = client.post(
        reverse("admin:account_emailaddress_change", args=[address.pk]),
        email_address_data(admin, "admin-new@example.com"),
    )

    assert response.status_code == 302
    address.refresh_from_db()
    assert address.email == "admin-new@example.com"
