import re
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User, VerificationStatus

from .factories import PASSWORD, CustomerFactory, ProviderFactory

pytestmark = pytest.mark.django_db

REGISTER = "/api/users/register/"
LOGIN = "/api/users/login/"
REFRESH = "/api/users/token/refresh/"
ME = "/api/users/me/"


def post(client, path, data, **extra):
    return client.post(path, data, content_type="application/json", **extra)


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


def log_in(client, email, password=PASSWORD):
    return post(client, LOGIN, {"email": email, "password": password})


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def seconds_later(seconds):
    """Travel `seconds` into the future, with the clock frozen there."""
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds), tick=False)


def confirmation_link(mail):
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.body).group(1)


# Register


def test_register_creates_a_customer_and_emails_a_verification_link(client, mailoutbox):
    response = post(client, REGISTER, registration(email="Rosa@Example.com"))

    assert response.status_code == 201
    body = response.json()
    assert body["user"] == {
        "id": User.objects.get().pk,
        "email": "rosa@example.com",
        "first_name": "Rosa",
        "last_name": "Diaz",
        "phone": "+14155550123",
        "role": "CUSTOMER",
        "provider_profile": None,
    }
    assert "rosa@example.com" in body["detail"]
    assert "access" not in body and "refresh" not in body
    assert "password" not in response.content.decode()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["rosa@example.com"]
    assert "/accounts/confirm-email/" in mailoutbox[0].body


def test_register_normalises_the_phone_number(client):
    response = post(client, REGISTER, registration(phone="+1 415-555-0123"))

    assert response.json()["user"]["phone"] == "+14155550123"


def test_register_as_provider_starts_a_pending_business_profile(client):
    response = post(client, REGISTER, registration(role=Role.PROVIDER))

    assert response.status_code == 201
    profile = response.json()["user"]["provider_profile"]
    assert profile["verification_status"] == VerificationStatus.PENDING
    assert profile["slug"] == User.objects.get().provider_profile.slug


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


def test_register_rejects_a_taken_email_in_any_case(client, mailoutbox):
    CustomerFactory(email="taken@example.com")

    response = post(client, REGISTER, registration(email="TAKEN@Example.com"))

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "email": ["A user is already registered with this email address."]
    }
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1
    assert not mailoutbox


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


# Login


def test_login_returns_tokens_and_the_user(client):
    user = CustomerFactory(email="ana@example.com", phone="+14155550123")

    response = log_in(client, "ana@example.com")

    assert response.status_code == 200
    body = response.json()
    assert body["user"]["id"] == user.pk
    assert body["user"]["phone"] == "+14155550123"
    assert client.get(ME, **bearer(body["access"])).json()["email"] == "ana@example.com"


def test_login_email_is_case_insensitive(client):
    CustomerFactory(email="mixed@example.com")

    response = log_in(client, "MiXeD@Example.COM")

    assert response.status_code == 200


def test_wrong_password_and_unknown_email_get_the_same_401(client):
    CustomerFactory(email="someone@example.com")

    wrong_password = log_in(client, "someone@example.com", "not-the-password")
    unknown_email = log_in(client, "nobody@example.com")

    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json() == unknown_email.json() == {"detail": "Invalid email or password."}


def test_unverified_email_gets_403_and_a_new_link(client, mailoutbox):
    CustomerFactory(email="new@example.com", email_verified=False)

    response = log_in(client, "new@example.com")

    assert response.status_code == 403
    assert "Verify your email" in response.json()["detail"]
    assert "access" not in response.json()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new@example.com"]


def test_wrong_password_on_an_unverified_account_is_still_401(client, mailoutbox):
    CustomerFactory(email="new@example.com", email_verified=False)

    response = log_in(client, "new@example.com", "not-the-password")

    assert response.status_code == 401
    assert not mailoutbox


def test_deactivated_account_cannot_log_in(client):
    user = CustomerFactory(email="gone@example.com")
    user.is_active = False
    user.save()

    response = log_in(client, "gone@example.com")

    assert response.status_code == 403
    assert response.json() == {"detail": "This account is inactive."}


def test_repeated_failed_logins_are_rate_limited_with_retry_after(client):
    CustomerFactory(email="target@example.com")
    for _ in range(5):
        assert log_in(client, "target@example.com", "guess-guess-guess").status_code == 401

    response = log_in(client, "target@example.com")

    assert response.status_code == 429
    assert "Too many failed login attempts" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    assert "access" not in response.json()


def test_failed_logins_on_the_site_count_for_the_api(client):
    CustomerFactory(email="target@example.com")
    for _ in range(5):
        client.post(
            reverse("account_login"), {"login": "target@example.com", "password": "guess-guess"}
        )

    response = log_in(client, "target@example.com")

    assert response.status_code == 429


def test_login_attempts_per_ip_are_rate_limited(client, settings):
    settings.ACCOUNT_RATE_LIMITS = settings.ACCOUNT_RATE_LIMITS | {"login": "2/m/ip"}
    CustomerFactory(email="ana@example.com")
    log_in(client, "ana@example.com")
    log_in(client, "ana@example.com")

    response = log_in(client, "ana@example.com")

    assert response.status_code == 429
    assert response["Retry-After"] == "60"


def test_api_login_leaves_a_browser_session_alone(client):
    browser_user = CustomerFactory(email="browser@example.com")
    CustomerFactory(email="app@example.com")
    client.force_login(browser_user)

    response = log_in(client, "app@example.com")

    assert response.status_code == 200
    assert not response.cookies
    assert client.session["_auth_user_id"] == str(browser_user.pk)


# Refresh


def test_refresh_returns_a_new_working_pair(client):
    CustomerFactory(email="ana@example.com")
    tokens = log_in(client, "ana@example.com").json()

    response = post(client, REFRESH, {"refresh": tokens["refresh"]})

    assert response.status_code == 200
    fresh = response.json()
    assert set(fresh) == {"access", "refresh"}
    assert fresh["refresh"] != tokens["refresh"]
    assert client.get(ME, **bearer(fresh["access"])).status_code == 200
    assert post(client, REFRESH, {"refresh": fresh["refresh"]}).status_code == 200


def test_a_refresh_token_works_only_once(client):
    CustomerFactory(email="ana@example.com")
    refresh = log_in(client, "ana@example.com").json()["refresh"]
    post(client, REFRESH, {"refresh": refresh})

    response = post(client, REFRESH, {"refresh": refresh})

    assert response.status_code == 401
    assert "already used" in response.json()["detail"]


def test_an_expired_refresh_token_is_refused(client, settings):
    CustomerFactory(email="ana@example.com")
    refresh = log_in(client, "ana@example.com").json()["refresh"]

    with seconds_later(settings.HEADLESS_JWT_REFRESH_TOKEN_EXPIRES_IN + 5):
        response = post(client, REFRESH, {"refresh": refresh})

    assert response.status_code == 401


def test_a_refresh_token_still_valid_just_before_expiry(client, settings):
    CustomerFactory(email="ana@example.com")
    refresh = log_in(client, "ana@example.com").json()["refresh"]

    with seconds_later(settings.HEADLESS_JWT_REFRESH_TOKEN_EXPIRES_IN - 60):
        response = post(client, REFRESH, {"refresh": refresh})

    assert response.status_code == 200


def test_garbage_or_an_access_token_is_not_a_refresh_token(client):
    CustomerFactory(email="ana@example.com")
    access = log_in(client, "ana@example.com").json()["access"]

    assert post(client, REFRESH, {"refresh": "garbage"}).status_code == 401
    assert post(client, REFRESH, {"refresh": access}).status_code == 401
    assert post(client, REFRESH, {}).status_code == 400


# Me


def test_me_without_a_token_is_401_json(client):
    response = client.get(ME)

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "Bearer" in response.json()["detail"]
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("header", ["Bearer garbage", "Bearer", "Basic dXNlcjpwYXNz", "Token x"])
def test_me_with_a_bad_token_is_401(client, header):
    response = client.get(ME, HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert "detail" in response.json()


def test_me_refuses_a_refresh_token(client):
    CustomerFactory(email="ana@example.com")
    refresh = log_in(client, "ana@example.com").json()["refresh"]

    assert client.get(ME, **bearer(refresh)).status_code == 401


def test_access_token_works_until_it_expires(client, settings):
    CustomerFactory(email="ana@example.com")
    access = log_in(client, "ana@example.com").json()["access"]
    with seconds_later(settings.HEADLESS_JWT_ACCESS_TOKEN_EXPIRES_IN - 30):
        assert client.get(ME, **bearer(access)).status_code == 200

    with seconds_later(settings.HEADLESS_JWT_ACCESS_TOKEN_EXPIRES_IN + 5):
        response = client.get(ME, **bearer(access))

    assert response.status_code == 401


def test_me_shows_a_provider_their_business_profile(client):
    provider = ProviderFactory(email="joe@example.com", last_name="Pipes")

    access = log_in(client, "joe@example.com").json()["access"]
    response = client.get(ME, **bearer(access))

    assert response.status_code == 200
    assert response.json()["role"] == "PROVIDER"
    assert response.json()["provider_profile"] == {
        "business_name": "Pipes Services",
        "slug": provider.provider_profile.slug,
        "verification_status": "VERIFIED",
    }


def test_deactivating_an_account_cuts_its_tokens_at_once(client):
    user = CustomerFactory(email="ana@example.com")
    tokens = log_in(client, "ana@example.com").json()
    user.is_active = False
    user.save()

    assert client.get(ME, **bearer(tokens["access"])).status_code == 401
    assert post(client, REFRESH, {"refresh": tokens["refresh"]}).status_code == 401


def test_changing_the_password_cuts_existing_tokens(client):
    user = CustomerFactory(email="ana@example.com")
    tokens = log_in(client, "ana@example.com").json()
    user.set_password("a-brand-new-passphrase-42")
    user.save()

    assert client.get(ME, **bearer(tokens["access"])).status_code == 401
    assert post(client, REFRESH, {"refresh": tokens["refresh"]}).status_code == 401


def test_email_address_record_is_created_unverified_on_register(client):
    post(client, REGISTER, registration())

    address = EmailAddress.objects.get()
    assert address.email == "rosa@example.com"
    assert address.primary and not address.verified
