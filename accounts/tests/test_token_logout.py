"""Ending API tokens: POST /api/users/logout/, and what a site logout and a new password do.

- API logout ends the session of the refresh token sent (or of the bearer access token):
  that refresh token and every access token of the session are 401 at once; 204, also
  when the session had already ended; 401 for no token of ours.
- A site logout ends the browser's session only: API tokens are another device's session.
- A password change, set or reset ends every API session of the account.
"""

import re

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from accounts.models import ApiSession

from .api_helpers import ME, REFRESH, bearer, log_in, post
from .factories import PASSWORD, CustomerFactory

pytestmark = pytest.mark.django_db

LOGOUT = "/api/users/logout/"
NEW_PASSWORD = "a-brand-new-passphrase-42"


def post_nothing(client, path, **extra):
    """A POST with an empty body, as `curl -X POST` sends it."""
    return client.generic("POST", path, b"", **extra)


def works(client, pair):
    """Whether the access token reaches /me/ (the refresh token is not spent for this)."""
    return client.get(ME, **bearer(pair["access"])).status_code == 200


@pytest.fixture
def ana():
    return CustomerFactory(email="ana@example.com")


def test_logout_with_the_refresh_token_revokes_it_and_its_access_tokens(client, ana):
    pair = log_in(client, "ana@example.com").json()
    refreshed = post(client, REFRESH, {"refresh": pair["refresh"]}).json()

    response = post(client, LOGOUT, {"refresh": refreshed["refresh"]})

    assert response.status_code == 204
    assert response.content == b""
    assert not works(client, refreshed)
    assert not works(client, pair)  # an access token issued before the refresh, same session
    assert post(client, REFRESH, {"refresh": refreshed["refresh"]}).status_code == 401
    assert not Session.objects.exists() and not ApiSession.objects.exists()


def test_logout_with_only_the_bearer_access_token(client, ana):
    pair = log_in(client, "ana@example.com").json()

    response = post_nothing(client, LOGOUT, **bearer(pair["access"]))

    assert response.status_code == 204
    assert not works(client, pair)
    assert post(client, REFRESH, {"refresh": pair["refresh"]}).status_code == 401


def test_logout_with_an_empty_body_and_a_bearer(client, ana):
    pair = log_in(client, "ana@example.com").json()

    response = post(client, LOGOUT, {}, **bearer(pair["access"]))

    assert response.status_code == 204
    assert not works(client, pair)


def test_logout_is_idempotent(client, ana):
    pair = log_in(client, "ana@example.com").json()
    post(client, LOGOUT, {"refresh": pair["refresh"]})

    assert post(client, LOGOUT, {"refresh": pair["refresh"]}).status_code == 204
    assert post_nothing(client, LOGOUT, **bearer(pair["access"])).status_code == 204


def test_logout_ends_only_that_session(client, ana):
    phone = log_in(client, "ana@example.com").json()
    laptop = log_in(client, "ana@example.com").json()

    post(client, LOGOUT, {"refresh": phone["refresh"]})

    assert not works(client, phone)
    assert works(client, laptop)
    assert post(client, REFRESH, {"refresh": laptop["refresh"]}).status_code == 200


def test_logout_without_any_token_is_401(client, ana):
    pair = log_in(client, "ana@example.com").json()

    response = post_nothing(client, LOGOUT)

    assert response.status_code == 401
    assert works(client, pair)


@pytest.mark.parametrize("body", [{}, {"refresh": "garbage"}, {"refresh": None}])
def test_logout_without_a_token_of_ours_is_401_and_ends_nothing(client, ana, body):
    pair = log_in(client, "ana@example.com").json()

    response = post(client, LOGOUT, body)

    assert response.status_code == 401
    assert "refresh token" in response.json()["detail"]
    assert works(client, pair)


def test_logout_with_an_access_token_as_the_refresh_token_is_401(client, ana):
    pair = log_in(client, "ana@example.com").json()

    assert post(client, LOGOUT, {"refresh": pair["access"]}).status_code == 401
    assert works(client, pair)


def test_a_site_logout_leaves_the_api_tokens_working(client, ana):
    pair = log_in(client, "ana@example.com").json()
    assert client.login(email="ana@example.com", password=PASSWORD)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert works(client, pair)
    assert post(client, REFRESH, {"refresh": pair["refresh"]}).status_code == 200


def test_a_password_change_on_the_site_revokes_every_api_session(client, ana):
    phone = log_in(client, "ana@example.com").json()
    laptop = log_in(client, "ana@example.com").json()
    client.login(email="ana@example.com", password=PASSWORD)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    # Ended at once, not only when a token is next used.
    assert not ApiSession.objects.exists()
    assert Session.objects.count() == 1  # the browser's, still logged in
    assert client.get(reverse("account_change_password")).status_code == 200
    for pair in (phone, laptop):
        assert not works(client, pair)
        assert post(client, REFRESH, {"refresh": pair["refresh"]}).status_code == 401
    assert log_in(client, "ana@example.com", NEW_PASSWORD).status_code == 200


def test_a_password_reset_revokes_every_api_session(client, ana, mailoutbox):
    pair = log_in(client, "ana@example.com").json()
    other = CustomerFactory(email="bo@example.com")
    bos = log_in(client, other.email).json()

    client.post(reverse("account_reset_password"), {"email": "ana@example.com"})
    link = re.search(
        r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mailoutbox[0].body
    ).group(1)
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert not ApiSession.objects.filter(user=ana).exists()
    assert not works(client, pair)
    assert post(client, REFRESH, {"refresh": pair["refresh"]}).status_code == 401
    assert works(client, bos)  # another account's tokens are untouched


def test_logout_appears_in_the_schema_without_a_required_body():
    from marketplace.api import api

    operation = api.get_openapi_schema()["paths"]["/api/users/logout/"]["post"]

    assert {204, 401} <= set(operation["responses"])
    assert not operation.get("requestBody", {}).get("required", False)
