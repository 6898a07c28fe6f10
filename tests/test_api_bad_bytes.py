"""Bytes no form would send are a 400 naming the field, never a 500, and nothing is stored:
one rule (core/api/text.py) for every text field a client sends, anonymous or not."""

import json

import pytest

from accounts.models import User
from accounts.tests.factories import CustomerFactory
from booking.models import Booking, BookingStatusHistory
from booking.tests.factories import bookable_service, local
from catalog.models import Service
from catalog.tests.factories import CategoryFactory
from reviews.models import Review
from reviews.tests.factories import completed_booking
from tests.api_client import assert_error, bearer

pytestmark = pytest.mark.django_db

NUL, BELL, ESCAPE = "\x00", "\x07", "\x1b"


def post(client, path, data, **extra):
    return client.post(path, json.dumps(data), "application/json", **extra)


def refused(response, field):
    body = assert_error(response, 400)
    assert field in body["errors"], body
    assert "control character" in " ".join(body["errors"][field])
    return body


REGISTER = {
    "email": "new@example.com",
    "phone": "+15125550100",
    "first_name": "Ana",
    "last_name": "Silva",
    "password": "Sturdy-Pass-4821",
    "password_confirm": "Sturdy-Pass-4821",
    "role": "CUSTOMER",
}


@pytest.mark.parametrize("char", [NUL, BELL, ESCAPE], ids=["NUL", "BEL", "ESC"])
@pytest.mark.parametrize("field", ["first_name", "last_name", "email", "phone"])
def test_anonymous_sign_up_refuses_control_characters(client, field, char):
    response = post(client, "/api/users/register/", REGISTER | {field: f"Ana{char}x"})

    refused(response, field)
    assert not User.objects.exists()


@pytest.mark.parametrize("field", ["email", "password"])
def test_login_refuses_a_nul_byte(client, field):
    data = {"email": "ana@example.com", "password": "whatever"} | {field: f"ana{NUL}@x.com"}

    refused(post(client, "/api/users/login/", data), field)


@pytest.fixture
def now(time_machine):
    time_machine.move_to(local(2026, 3, 2, 7), tick=False)


def _booking_body(service, **overrides):
    return {
        "service": service.pk,
        "scheduled_date": "2026-03-03",
        "scheduled_time": "10:00",
        "service_address": "12 Elm Street",
        "service_city": service.provider.cities.first().slug,
        "service_state": "TX",
        "service_postal_code": "78701",
        "customer_notes": "Ring twice.",
    } | overrides


@pytest.mark.parametrize(
    "field",
    ["service_address", "service_city", "service_state", "service_postal_code", "customer_notes"],
)
def test_booking_creation_refuses_a_nul_byte_in_each_text_field(client, now, field):
    service = bookable_service()

    response = post(
        client,
        "/api/bookings/create/",
        _booking_body(service, **{field: f"12{NUL}"}),
        **bearer(CustomerFactory()),
    )

    refused(response, field)
    assert not Booking.objects.exists()


def test_notes_may_hold_lines_and_tabs_but_not_other_controls(client, now):
    service = bookable_service()
    auth = bearer(CustomerFactory())

    kept = post(
        client,
        "/api/bookings/create/",
        _booking_body(service, customer_notes="Gate:\t1234\r\nDog inside."),
        **auth,
    )
    single_line = post(
        client, "/api/bookings/create/", _booking_body(service, service_address="12\nElm"), **auth
    )

    assert kept.status_code == 201, kept.json()
    assert Booking.objects.get().customer_notes == "Gate:\t1234\r\nDog inside."
    refused(single_line, "service_address")


def test_status_notes_refuse_a_nul_byte(client, now):
    service = bookable_service()
    booking = post(
        client, "/api/bookings/create/", _booking_body(service), **bearer(CustomerFactory())
    ).json()

    response = post(
        client,
        f"/api/bookings/{booking['booking_reference']}/status/",
        {"status": "REJECTED", "notes": f"Busy{NUL}"},
        **bearer(service.provider.user),
    )

    refused(response, "notes")
    assert BookingStatusHistory.objects.count() == 1  # only the request itself


@pytest.mark.parametrize("field", ["title", "comment"])
def test_review_creation_refuses_a_nul_byte(client, field):
    booking = completed_booking()
    data = {
        "booking": booking.booking_reference,
        "rating": 5,
        "title": "Great",
        "comment": "Fixed it.",
    } | {field: f"Great{NUL}"}

    response = post(client, "/api/reviews/create/", data, **bearer(booking.customer))

    refused(response, field)
    assert not Review.objects.exists()


@pytest.mark.parametrize("field", ["title", "description", "short_description"])
def test_service_creation_and_change_refuse_a_nul_byte(client, field):
    service = bookable_service()
    auth = bearer(service.provider.user)
    data = {
        "title": "Leak repair",
        "description": "Pipes.",
        "short_description": "Fast",
        "category": CategoryFactory().pk,
        "pricing_type": "FIXED",
        "base_price": "80.00",
        "currency": "USD",
        "duration_minutes": 60,
    }

    created = post(client, "/api/services/create/", data | {field: f"x{NUL}"}, **auth)
    changed = client.patch(
        f"/api/services/{service.pk}/",
        json.dumps({field: f"x{NUL}"}),
        "application/json",
        **auth,
    )

    refused(created, field)
    refused(changed, field)
    assert Service.objects.count() == 1
    assert Service.objects.get().title == service.title


def test_a_search_with_a_nul_byte_is_a_400(client):
    refused(client.get("/api/services/", {"q": f"leak{NUL}"}), "q")


def test_a_null_body_for_a_change_is_a_400(client):
    service = bookable_service()

    response = client.patch(
        f"/api/services/{service.pk}/", "null", "application/json", **bearer(service.provider.user)
    )

    assert_error(response, 400)
