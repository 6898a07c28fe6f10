"""Refresh-token reuse detection: a rotated refresh token that comes back ends its session.

Presented again within REFRESH_TOKEN_RACE_SECONDS of its rotation it is taken for the
client's own duplicate request (401, nothing else); later it is reuse, and every token
issued from it since (the next refresh token and the access tokens) stops working.
"""

import pytest
from django.contrib.sessions.models import Session

from accounts.models import ApiSession
from accounts.tokens import DEFAULT_REFRESH_TOKEN_RACE_SECONDS

from .api_helpers import ME, REFRESH, bearer, log_in, post, seconds_later
from .factories import CustomerFactory

pytestmark = pytest.mark.django_db

LATER = DEFAULT_REFRESH_TOKEN_RACE_SECONDS + 1


def test_reusing_a_rotated_refresh_token_revokes_every_token_issued_from_it(client):
    CustomerFactory(email="ana@example.com")
    first = log_in(client, "ana@example.com").json()
    second = post(client, REFRESH, {"refresh": first["refresh"]}).json()

    with seconds_later(LATER):
        reuse = post(client, REFRESH, {"refresh": first["refresh"]})

        assert reuse.status_code == 401
        assert post(client, REFRESH, {"refresh": second["refresh"]}).status_code == 401
        assert client.get(ME, **bearer(second["access"])).status_code == 401
        assert client.get(ME, **bearer(first["access"])).status_code == 401
    assert not Session.objects.exists()
    assert not ApiSession.objects.exists()


def test_reuse_further_down_the_chain_revokes_the_latest_pair(client):
    CustomerFactory(email="ana@example.com")
    first = log_in(client, "ana@example.com").json()
    second = post(client, REFRESH, {"refresh": first["refresh"]}).json()
    with seconds_later(LATER):
        third = post(client, REFRESH, {"refresh": second["refresh"]}).json()
    with seconds_later(2 * LATER):
        assert post(client, REFRESH, {"refresh": first["refresh"]}).status_code == 401

        assert client.get(ME, **bearer(third["access"])).status_code == 401
        assert post(client, REFRESH, {"refresh": third["refresh"]}).status_code == 401


def test_a_duplicate_right_after_the_rotation_is_refused_and_nothing_else(client):
    CustomerFactory(email="ana@example.com")
    first = log_in(client, "ana@example.com").json()
    second = post(client, REFRESH, {"refresh": first["refresh"]}).json()

    duplicate = post(client, REFRESH, {"refresh": first["refresh"]})

    assert duplicate.status_code == 401
    assert client.get(ME, **bearer(second["access"])).status_code == 200
    assert post(client, REFRESH, {"refresh": second["refresh"]}).status_code == 200


def test_the_race_window_is_a_setting(client, settings):
    settings.REFRESH_TOKEN_RACE_SECONDS = 0
    CustomerFactory(email="ana@example.com")
    first = log_in(client, "ana@example.com").json()
    second = post(client, REFRESH, {"refresh": first["refresh"]}).json()

    assert post(client, REFRESH, {"refresh": first["refresh"]}).status_code == 401

    assert client.get(ME, **bearer(second["access"])).status_code == 401


def test_reuse_ends_only_that_session(client):
    CustomerFactory(email="ana@example.com")
    phone = log_in(client, "ana@example.com").json()
    laptop = log_in(client, "ana@example.com").json()
    post(client, REFRESH, {"refresh": phone["refresh"]})

    with seconds_later(LATER):
        assert post(client, REFRESH, {"refresh": phone["refresh"]}).status_code == 401

        assert client.get(ME, **bearer(laptop["access"])).status_code == 200
        assert post(client, REFRESH, {"refresh": laptop["refresh"]}).status_code == 200
