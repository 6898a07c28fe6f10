"""Rate limits, as a client meets them: past the limit a 429 that says when to come back.

The API counts per IP (anonymous) or per user (with a token) and per user for booking
creation; the site's login, sign-up and password reset are limited by django-allauth.
The HTML answers carry Retry-After exactly as the API's JSON ones do.
"""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import PASSWORD, CustomerFactory
from booking.tests.factories import bookable_service
from marketplace import settings as project_settings
from tests.api_client import assert_error, bearer, send

pytestmark = pytest.mark.django_db

HEALTH = "/api/health/"
ME = "/api/users/me/"
LOGIN_PAGE = "/accounts/login/"


def _assert_retry_after(response, at_most):
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= at_most


def test_production_limits_are_the_documented_ones():
    # The settings module as loaded, not django.conf.settings (tests may lower those).
    settings = project_settings

    assert settings.API_RATE_LIMIT_ANON == "100/h"
    assert settings.API_RATE_LIMIT_USER == "1000/h"
    assert settings.API_RATE_LIMIT_BOOKING_CREATE == "50/h"
    assert settings.ACCOUNT_RATE_LIMITS["login"] == "30/m/ip"
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == "10/m/ip,5/5m/key"


def test_anonymous_api_callers_get_100_requests_an_hour(client):
    answers = [client.get(HEALTH).status_code for _ in range(100)]

    over = client.get(HEALTH)

    assert answers == [200] * 100
    assert_error(over, 429)
    _assert_retry_after(over, 3600)


def test_signed_in_api_callers_are_counted_per_user_not_per_ip(client, settings):
    settings.API_RATE_LIMIT_USER = "5/h"  # the real 1000/h is checked above as configured
    auth = bearer(CustomerFactory())
    neighbour = bearer(CustomerFactory())

    answers = [client.get(ME, **auth).status_code for _ in range(5)]
    over = client.get(ME, **auth)

    assert answers == [200] * 5
    assert_error(over, 429)
    _assert_retry_after(over, 3600)
    assert client.get(ME, **neighbour).status_code == 200  # same IP, another user


def test_booking_creation_is_limited_per_customer(client, settings):
    settings.API_RATE_LIMIT_BOOKING_CREATE = "2/h"
    service = bookable_service()
    customer, other = CustomerFactory(), CustomerFactory()
    auth = bearer(customer)

    def book(headers):
        # Too far ahead: refused with 400, but each try still counts.
        return send(
            client,
            "post",
            "/api/bookings/create/",
            {
                "service": service.pk,
                "scheduled_date": "2099-01-03",
                "scheduled_time": "10:00",
                "service_address": "1 Main Street",
                "service_city": service.provider.cities.first().slug,
                "service_postal_code": "78701",
            },
            **headers,
        )

    tries = [book(auth).status_code for _ in range(2)]
    over = book(auth)

    assert 429 not in tries
    assert_error(over, 429)
    _assert_retry_after(over, 3600)
    assert book(bearer(other)).status_code != 429


def test_the_login_page_answers_429_with_retry_after_past_its_limit(settings):
    settings.ACCOUNT_RATE_LIMITS = settings.ACCOUNT_RATE_LIMITS | {"login": "3/m/ip"}
    client = Client()
    for _ in range(3):
        client.post(LOGIN_PAGE, {"login": "nobody@example.com", "password": "wrong"})

    over = client.post(LOGIN_PAGE, {"login": "nobody@example.com", "password": "wrong"})

    _assert_retry_after(over, 60)
    assert over["Content-Type"].startswith("text/html")
    assert "Too many requests" in over.content.decode()
    assert "Go to the home page" in over.content.decode()  # the site's page, not allauth's bare one


def test_failed_logins_for_one_email_end_in_429_with_retry_after():
    CustomerFactory(email="target@example.com")
    client = Client()
    for _ in range(5):  # 5/5m per email address
        client.post(LOGIN_PAGE, {"login": "target@example.com", "password": "wrong"})

    over = client.post(LOGIN_PAGE, {"login": "target@example.com", "password": PASSWORD})

    _assert_retry_after(over, 300)
    assert "Too many failed login attempts" in over.content.decode()
    assert "_auth_user_id" not in client.session


def test_failed_api_logins_end_in_a_json_429_with_retry_after(client):
    CustomerFactory(email="target@example.com")
    for _ in range(5):
        send(client, "post", "/api/users/login/", {"email": "target@example.com", "password": "x"})

    over = send(
        client, "post", "/api/users/login/", {"email": "target@example.com", "password": PASSWORD}
    )

    assert_error(over, 429)
    _assert_retry_after(over, 300)


def test_password_reset_page_answers_429_with_retry_after(settings):
    settings.ACCOUNT_RATE_LIMITS = settings.ACCOUNT_RATE_LIMITS | {"reset_password": "1/m/ip"}
    client = Client()
    client.post(reverse("account_reset_password"), {"email": "someone@example.com"})

    over = client.post(reverse("account_reset_password"), {"email": "someone@example.com"})

    _assert_retry_after(over, 60)


def test_the_sign_up_page_answers_429_with_retry_after_past_its_limit(settings):
    settings.ACCOUNT_RATE_LIMITS = settings.ACCOUNT_RATE_LIMITS | {"signup": "1/m/ip"}
    client = Client()
    client.post(reverse("account_signup"), {"email": "first@example.com"})

    over = client.post(reverse("account_signup"), {"email": "second@example.com"})

    _assert_retry_after(over, 60)
    assert "Too many requests" in over.content.decode()
