"""Sign-up through the API keeps the rules it had before it went through the site's form."""

import json

import pytest

from accounts.models import User

from .api_helpers import post
from .test_api_register import REGISTER, registration

pytestmark = pytest.mark.django_db


def test_a_password_made_of_the_persons_name_is_refused(client, mailoutbox):
    response = post(
        client,
        REGISTER,
        registration(
            first_name="Jonathan", password="Jonathanberg1", password_confirm="Jonathanberg1"
        ),
    )

    assert response.status_code == 400
    assert "too similar" in " ".join(response.json()["errors"]["password"])
    assert not User.objects.filter(first_name="Jonathan").exists()
    assert mailoutbox == []


def test_errors_are_listed_in_the_order_of_the_payload(client):
    response = post(
        client,
        REGISTER,
        registration(email="not-an-email", first_name="", role="ROOT", password_confirm="other"),
    )

    assert list(json.loads(response.content)["errors"]) == [
        "email",
        "first_name",
        "role",
        "password_confirm",
    ]
