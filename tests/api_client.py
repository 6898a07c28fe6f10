"""How the API tests talk to the API: JSON in, a Bearer token from a real login, JSON errors."""

import json

from django.test import Client

from accounts.tests.factories import PASSWORD

LOGIN = "/api/users/login/"


def send(client, method, path, data=None, **extra):
    return getattr(client, method)(
        path, json.dumps(data) if data is not None else None, "application/json", **extra
    )


def bearer(user):
    """Log `user` in through the API, as a client does, and return the auth header."""
    response = send(Client(), "post", LOGIN, {"email": user.email, "password": PASSWORD})
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['access']}"}


def assert_error(response, status):
    """The answer is a JSON error with a readable `detail`; returns the body."""
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    return body
