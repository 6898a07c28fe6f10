"""GET /api/users/me/: the token's user, and when a token stops working."""

import pytest

from .api_helpers import ME, REFRESH, bearer, log_in, post, seconds_later
from .factories import CustomerFactory, ProviderFactory

pytestmark = pytest.mark.django_db


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
