"""Shared by the accounts API test modules: endpoints, posting JSON, log-in, tokens, the clock."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from .factories import PASSWORD

LOGIN = "/api/users/login/"
REFRESH = "/api/users/token/refresh/"
ME = "/api/users/me/"


def post(client, path, data, **extra):
    return client.post(path, data, content_type="application/json", **extra)


def log_in(client, email, password=PASSWORD):
    return post(client, LOGIN, {"email": email, "password": password})


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def seconds_later(seconds):
    """Travel `seconds` into the future, with the clock frozen there."""
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds), tick=False)
