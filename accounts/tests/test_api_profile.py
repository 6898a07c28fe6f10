"""GET and PATCH /api/users/me/profile/: your details, booking defaults and preferences."""

import pytest

from accounts.models import UserProfile
from tests.api_client import assert_error, bearer, send

from .factories import CustomerFactory

pytestmark = pytest.mark.django_db

PROFILE = "/api/users/me/profile/"


@pytest.fixture
def rosa():
    return CustomerFactory(email="rosa@example.com", first_name="Rosa", last_name="Diaz")


def test_read_your_profile(client, rosa):
    body = client.get(PROFILE, **bearer(rosa)).json()

    assert (body["email"], body["first_name"], body["role"]) == (
        "rosa@example.com",
        "Rosa",
        "CUSTOMER",
    )
    assert set(body["profile"]) == {
        "address",
        "city",
        "state",
        "postal_code",
        "time_zone",
        "preferred_language",
        "email_reminders",
        "email_review_invitations",
    }


def test_change_only_what_is_sent(client, rosa):
    response = send(
        client,
        "patch",
        PROFILE,
        {"phone": "+1 415 555 0123", "address": "12 Elm Street", "email_reminders": False},
        **bearer(rosa),
    )

    assert response.status_code == 200
    body = response.json()
    assert body["phone"] == "+14155550123"
    assert (body["profile"]["address"], body["profile"]["email_reminders"]) == (
        "12 Elm Street",
        False,
    )
    assert body["first_name"] == "Rosa"
    assert client.get(PROFILE, **bearer(rosa)).json() == body


def test_wrong_values_are_400s_naming_each_and_nothing_is_saved(client, rosa):
    response = send(
        client,
        "patch",
        PROFILE,
        {"phone": "+1234567890", "time_zone": "Mars/Olympus", "address": "Somewhere"},
        **bearer(rosa),
    )

    assert set(assert_error(response, 400)["errors"]) == {"phone", "time_zone"}
    rosa.refresh_from_db()
    assert rosa.phone == ""
    assert not UserProfile.objects.filter(user=rosa, address="Somewhere").exists()


def test_the_profile_needs_a_token(client):
    assert_error(client.get(PROFILE), 401)


@pytest.mark.parametrize(
    "bad", [{"email_reminders": None}, {"email_reminders": "no"}, {"first_name": None}]
)
def test_null_or_a_wrong_type_is_a_400(client, rosa, bad):
    response = send(client, "patch", PROFILE, bad, **bearer(rosa))

    assert_error(response, 400)
