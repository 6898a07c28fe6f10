"""POST /api/users/register/: signing up through the API."""

import re

import pytest
from allauth.account.models import EmailAddress

from accounts.models import Role, User, VerificationStatus

from .api_helpers import log_in, post
from .factories import PASSWORD, CustomerFactory

pytestmark = pytest.mark.django_db

REGISTER = "/api/users/register/"


def registration(**overrides):
    data = {
        "email": "rosa@example.com",
        "phone": "+14155550123",
        "first_name": "Rosa",
        "last_name": "Diaz",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "role": Role.CUSTOMER,
    }
    return data | overrides


def confirmation_link(mail):
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.body).group(1)


def signed_up(email):
    """The one answer to an accepted sign-up, known address or not."""
    return {
        "detail": f"Check your inbox: we sent a message to {email}. Follow its link to verify "
        "your email address, then log in."
    }


def test_register_creates_a_customer_and_emails_a_verification_link(client, mailoutbox):
    response = post(client, REGISTER, registration(email="Rosa@Example.com"))

    assert response.status_code == 201
    # The account is not in the answer: it would differ from the answer for a known address.
    assert response.json() == signed_up("rosa@example.com")
    user = User.objects.get()
    assert (user.email, user.first_name, user.last_name, user.phone, user.role) == (
        "rosa@example.com",
        "Rosa",
        "Diaz",
        "+14155550123",
        "CUSTOMER",
    )
    assert not hasattr(user, "provider_profile")
    assert "password" not in response.content.decode()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["rosa@example.com"]
    assert "/accounts/confirm-email/" in mailoutbox[0].body


def test_register_normalises_the_phone_number(client):
    post(client, REGISTER, registration(phone="+1 415-555-0123"))

    assert User.objects.get().phone == "+14155550123"


def test_register_as_provider_starts_a_pending_business_profile(client):
    response = post(client, REGISTER, registration(role=Role.PROVIDER))

    assert response.status_code == 201
    profile = User.objects.get().provider_profile
    assert profile.verification_status == VerificationStatus.PENDING
    assert profile.slug


def test_register_sets_no_cookie(client):
    response = post(client, REGISTER, registration())

    assert response.status_code == 201
    assert not response.cookies


def test_registered_account_logs_in_only_after_following_the_email_link(client, mailoutbox):
    post(client, REGISTER, registration())

    before = log_in(client, "rosa@example.com")
    client.post(confirmation_link(mailoutbox[0]))
    after = log_in(client, "rosa@example.com")

    assert before.status_code == 403
    assert after.status_code == 200
    assert after.json()["user"]["email"] == "rosa@example.com"


def test_register_rejects_mismatched_passwords(client):
    response = post(client, REGISTER, registration(password_confirm="another-long-passphrase"))

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "password_confirm": ["You must type the same password each time."]
    }
    assert not User.objects.exists()


def test_register_rejects_a_weak_password(client):
    response = post(
        client, REGISTER, registration(password="password", password_confirm="password")
    )

    assert response.status_code == 400
    assert "This password is too common." in response.json()["errors"]["password"]
    assert not User.objects.exists()


def test_register_rejects_a_password_like_the_email(client):
    response = post(
        client,
        REGISTER,
        registration(password="rosa@example.com", password_confirm="rosa@example.com"),
    )

    assert response.status_code == 400
    assert "too similar" in response.json()["errors"]["password"][0]


def test_register_with_a_taken_email_answers_as_for_a_new_one_and_emails_the_owner(
    client, mailoutbox
):
    CustomerFactory(email="taken@example.com")

    response = post(client, REGISTER, registration(email="TAKEN@Example.com"))

    assert response.status_code == 201
    assert response.json() == signed_up("taken@example.com")
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["taken@example.com"]
    assert "/accounts/password/reset/" in mailoutbox[0].body
    assert "/accounts/confirm-email/" not in mailoutbox[0].body


def test_register_answers_a_known_and_an_unknown_address_alike(client):
    CustomerFactory(email="taken@example.com")

    known = post(client, REGISTER, registration(email="taken@example.com"))
    unknown = post(client, REGISTER, registration(email="new@example.com"))
    again = post(client, REGISTER, registration(email="new@example.com"))  # unverified yet

    assert known.status_code == unknown.status_code == again.status_code == 201
    assert known.json() == signed_up("taken@example.com")
    assert unknown.json() == again.json() == signed_up("new@example.com")
    assert set(known.headers) == set(unknown.headers)
    assert User.objects.filter(email="new@example.com").count() == 1


def test_register_emails_a_taken_address_as_the_sites_sign_up_does(client, mailoutbox):
    CustomerFactory(email="taken@example.com")
    site = {**registration(email="taken@example.com"), "password1": PASSWORD}
    site["password2"] = site.pop("password_confirm")

    client.post("/accounts/signup/", site)
    post(client, REGISTER, registration(email="taken@example.com"))

    by_site, by_api = mailoutbox
    assert by_site.to == by_api.to == ["taken@example.com"]
    assert by_site.subject == by_api.subject
    assert User.objects.filter(email="taken@example.com").count() == 1


@pytest.mark.parametrize(
    ("phone", "message"),
    [("4155550123", "starting with +"), ("+1555", "valid phone number")],
)
def test_register_rejects_an_invalid_phone(client, phone, message):
    response = post(client, REGISTER, registration(phone=phone))

    assert response.status_code == 400
    assert message in response.json()["errors"]["phone"][0]
    assert not User.objects.exists()


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SUPERADMIN, "ROOT"])
def test_nobody_can_register_as_staff(client, role):
    response = post(client, REGISTER, registration(role=role))

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["role"]
    assert not User.objects.exists()


def test_register_reports_every_missing_field(client):
    response = post(client, REGISTER, {"phone": ""})

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {
        "email",
        "first_name",
        "last_name",
        "password",
        "password_confirm",
        "role",
    }
    assert errors["email"] == ["This field is required."]


def test_register_rejects_an_invalid_email_and_blank_names(client):
    response = post(client, REGISTER, registration(email="not-an-email", first_name="  "))

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"email", "first_name"}


def test_register_ignores_unknown_fields(client):
    response = post(client, REGISTER, registration(is_staff=True, is_superuser=True, id=1))

    assert response.status_code == 201
    user = User.objects.get()
    assert not user.is_staff and not user.is_superuser
    assert user.role == Role.CUSTOMER


def test_email_address_record_is_created_unverified_on_register(client):
    post(client, REGISTER, registration())

    address = EmailAddress.objects.get()
    assert address.email == "rosa@example.com"
    assert address.primary and not address.verified
