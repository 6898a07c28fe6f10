import importlib.util
import re

import pytest
from django.urls import reverse

import marketplace.settings as marketplace_settings
from accounts.models import Role, User, VerificationStatus

from .factories import PASSWORD, CustomerFactory, ProviderFactory

pytestmark = pytest.mark.django_db

SIGNUP = reverse("account_signup")
LOGIN = reverse("account_login")


def signup_data(**overrides):
    data = {
        "first_name": "Rosa",
        "last_name": "Diaz",
        "email": "rosa@example.com",
        "phone": "+14155550123",
        "role": Role.CUSTOMER,
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return data | overrides


def confirmation_link(mail):
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.body).group(1)


def test_customer_signup_creates_profile_and_sends_verification_email(client, mailoutbox):
    response = client.post(SIGNUP, signup_data())

    assert response.status_code == 302
    user = User.objects.get(email="rosa@example.com")
    assert user.role == Role.CUSTOMER
    assert user.phone == "+14155550123"
    assert user.profile is not None
    assert not hasattr(user, "provider_profile")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["rosa@example.com"]
    assert "/accounts/confirm-email/" in mailoutbox[0].body


def test_provider_signup_starts_a_pending_business_profile(client, mailoutbox):
    client.post(SIGNUP, signup_data(email="pro@example.com", role=Role.PROVIDER))

    user = User.objects.get(email="pro@example.com")
    assert user.role == Role.PROVIDER
    assert user.provider_profile.verification_status == VerificationStatus.PENDING
    assert len(mailoutbox) == 1


def test_signup_with_mismatched_passwords_keeps_what_was_typed(client):
    response = client.post(SIGNUP, signup_data(password2="something-else-entirely"))

    assert response.status_code == 200
    assert "You must type the same password each time" in response.content.decode()
    assert 'value="Rosa"' in response.content.decode()
    assert 'value="rosa@example.com"' in response.content.decode()
    assert not User.objects.exists()


def test_signup_rejects_a_phone_without_country_code(client):
    response = client.post(SIGNUP, signup_data(phone="4155550123"))

    assert "starting with +" in response.content.decode()
    assert not User.objects.exists()


def test_signup_rejects_a_weak_password(client):
    response = client.post(SIGNUP, signup_data(password1="password", password2="password"))

    assert "This password is too common" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SUPERADMIN])
def test_nobody_can_sign_up_as_staff(client, role):
    response = client.post(SIGNUP, signup_data(role=role))

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not User.objects.exists()


def test_unverified_email_cannot_log_in(client):
    CustomerFactory(email="new@example.com", email_verified=False)

    response = client.post(LOGIN, {"login": "new@example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_email_link_verifies_and_logs_in(client, mailoutbox):
    client.post(SIGNUP, signup_data())
    link = confirmation_link(mailoutbox[0])

    response = client.post(link)

    assert response.status_code == 302
    user = User.objects.get(email="rosa@example.com")
    assert user.emailaddress_set.get().verified
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize(
    ("role", "landing"),
    [(Role.CUSTOMER, "pages:welcome"), (Role.PROVIDER, "accounts:provider_profile")],
)
def test_confirming_the_email_lands_a_new_provider_on_the_business_profile(
    client, mailoutbox, role, landing
):
    client.post(SIGNUP, signup_data(role=role))

    response = client.post(confirmation_link(mailoutbox[0]))

    assert response["Location"] == reverse(landing)


def test_login_by_email_is_case_insensitive(client):
    user = CustomerFactory(email="mixed@example.com")

    response = client.post(LOGIN, {"login": "MiXeD@Example.COM", "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signup_with_an_email_in_other_case_does_not_create_a_second_account(client, mailoutbox):
    CustomerFactory(email="taken@example.com")

    client.post(SIGNUP, signup_data(email="TAKEN@example.com"))

    assert User.objects.filter(email__iexact="taken@example.com").count() == 1


def test_wrong_password_is_refused_without_saying_which_part(client):
    CustomerFactory(email="someone@example.com")

    response = client.post(LOGIN, {"login": "someone@example.com", "password": "nope-nope-nope"})

    assert response.status_code == 200
    assert (
        "The email address and/or password you specified are not correct."
        in response.content.decode()
    )


ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.fixture
def production_settings(monkeypatch, tmp_path):
    """marketplace/settings.py evaluated afresh as a deployment evaluates it: DEBUG=false and
    every variable production requires set (placeholders: nothing is connected to)."""
    monkeypatch.setenv("DEBUG", "false")
    for name in marketplace_settings.PRODUCTION_REQUIRED:
        monkeypatch.setenv(name, f"placeholder-{name.lower()}")
    monkeypatch.setenv("DATABASE_URL", "postgres://db.invalid:5432/marketplace")
    monkeypatch.setenv("REDIS_URL", "redis://cache.invalid:6379/0")
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    spec = importlib.util.spec_from_file_location(
        "production_settings", marketplace_settings.__file__
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_new_accounts_store_passwords_with_argon2(client, settings, production_settings):
    # The suite hashes with MD5 for speed (conftest.py's _fast_password_hasher), so this test
    # signs up with exactly the hashers production computes, not a list of its own.
    assert production_settings.PRODUCTION
    assert production_settings.PASSWORD_HASHERS[0] == ARGON2
    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS

    response = client.post(SIGNUP, signup_data())

    assert response.status_code == 302
    user = User.objects.get(email="rosa@example.com")
    assert user.password.startswith("argon2$")
    assert user.check_password(PASSWORD)


def test_provider_without_business_name_lands_on_business_profile_after_login(client):
    provider = ProviderFactory(verification=None)

    response = client.post(LOGIN, {"login": provider.email, "password": PASSWORD})

    assert response["Location"] == reverse("accounts:provider_profile")


def test_password_reset_emails_a_working_link(client, mailoutbox):
    CustomerFactory(email="forgot@example.com")

    client.post(reverse("account_reset_password"), {"email": "forgot@example.com"})

    assert len(mailoutbox) == 1
    link = re.search(
        r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mailoutbox[0].body
    ).group(1)
    form_page = client.get(link, follow=True)
    new_password = "a-brand-new-passphrase-42"
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    assert client.login(email="forgot@example.com", password=new_password)


def test_repeated_failed_logins_are_rate_limited(client):
    CustomerFactory(email="target@example.com")
    for _ in range(5):
        client.post(LOGIN, {"login": "target@example.com", "password": "guess-guess-guess"})

    response = client.post(LOGIN, {"login": "target@example.com", "password": PASSWORD})

    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_account_emails_come_in_html_in_the_sites_look_too(client, mailoutbox):
    client.post(SIGNUP, signup_data())

    html, mimetype = mailoutbox[0].alternatives[0]
    assert mimetype == "text/html"
    assert "Confirm my email" in html
    assert confirmation_link(mailoutbox[0]) in html
