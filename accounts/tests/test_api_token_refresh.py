"""POST /api/users/token/refresh/: a refresh token for a new pair, once, until it expires."""

import pytest

from .api_helpers import ME, REFRESH, bearer, log_in, post, seconds_later
from .factories import CustomerFactory

pytestmark = pytest.mark.django_db


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
