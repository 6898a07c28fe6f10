"""POST /api/users/login/: tokens for a verified account, and each refusal."""

import pytest
from django.urls import reverse

from .api_helpers import ME, bearer, log_in
from .factories import CustomerFactory

pytestmark = pytest.mark.django_db


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
