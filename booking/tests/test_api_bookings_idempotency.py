"""POST /api/bookings/create/ with an Idempotency-Key: a retry gets the first answer, and
one booking is made however often (or however simultaneously) the request is sent."""

from datetime import timedelta

import pytest
from django.test import Client

from accounts.tests.factories import CustomerFactory
from booking.models import Booking
from core.api.idempotency import IDEMPOTENCY_HOURS, purge_expired
from core.models import IdempotencyRecord
from tests.api_client import assert_error, bearer, send
from tests.concurrency import race

from .test_api_bookings_create import CREATE, booking_payload

pytestmark = pytest.mark.django_db

KEY = "3f1c9e2a-8b7d-4c6e-9a51-2d0f7b8e6c43"


def book(client, service, auth, key=KEY, **overrides):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return send(client, "post", CREATE, booking_payload(service, **overrides), **auth, **headers)


@pytest.fixture
def auth(customer):
    return bearer(customer)


def test_the_same_key_and_body_twice_answer_the_same_201_and_make_one_booking(
    client, service, auth
):
    first = book(client, service, auth)
    again = book(client, service, auth)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert (first["Idempotent-Replayed"], again["Idempotent-Replayed"]) == ("false", "true")
    assert list(Booking.objects.values_list("booking_reference", flat=True)) == [
        first.json()["booking_reference"]
    ]


def test_the_first_answer_is_what_a_later_read_shows(client, service, auth):
    first = book(client, service, auth).json()

    read = client.get(f"/api/bookings/{first['booking_reference']}/", **auth).json()

    assert read == first


def test_a_replay_is_the_first_answer_even_after_the_booking_changed(client, service, auth):
    first = book(client, service, auth).json()
    send(
        client,
        "post",
        f"/api/bookings/{first['booking_reference']}/status/",
        {"status": "CANCELLED", "notes": ""},
        **auth,
    )

    again = book(client, service, auth)

    assert again.json() == first
    assert again.json()["status"] == "PENDING"
    assert Booking.objects.count() == 1


def test_the_same_key_with_another_body_is_a_422_and_books_nothing_more(client, service, auth):
    book(client, service, auth)

    other = book(client, service, auth, scheduled_time="11:00")

    body = assert_error(other, 422)
    assert "already used for a different request" in body["detail"]
    assert Booking.objects.count() == 1


def test_without_a_key_a_retry_is_refused_as_the_taken_slot_it_is(client, service, auth):
    book(client, service, auth, key=None)

    again = book(client, service, auth, key=None)

    assert_error(again, 409)
    assert Booking.objects.count() == 1


def test_keys_are_per_customer(client, service, auth):
    other_auth = bearer(CustomerFactory())
    mine = book(client, service, auth)

    theirs = book(client, service, other_auth, scheduled_time="11:00")

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["booking_reference"] != theirs.json()["booking_reference"]
    assert Booking.objects.count() == 2


def test_a_refused_request_leaves_its_key_unused(client, service, auth):
    refused = book(client, service, auth, service_city="Atlantis")

    fixed = book(client, service, auth)

    assert_error(refused, 400)
    assert fixed.status_code == 201
    assert fixed["Idempotent-Replayed"] == "false"


def test_a_slot_taken_under_the_key_leaves_it_unused(client, service, auth):
    book(client, service, auth, key=None, customer_notes="first, without a key")

    taken = book(client, service, auth)
    elsewhere = book(client, service, auth, scheduled_time="11:00")

    assert_error(taken, 409)
    # The key was rolled back with the refusal, so it is free for the corrected request.
    assert elsewhere.status_code == 201
    assert IdempotencyRecord.objects.count() == 1


def test_a_key_is_remembered_for_24_hours(client, service, auth, time_machine, now):
    first = book(client, service, auth, scheduled_date="2026-03-05")
    time_machine.move_to(now + timedelta(hours=IDEMPOTENCY_HOURS, minutes=1), tick=False)
    auth = bearer(service.provider.user.__class__.objects.get(pk=first.json()["customer"]["id"]))

    later = book(client, service, auth, scheduled_date="2026-03-05", scheduled_time="11:00")

    assert first.status_code == later.status_code == 201
    assert later["Idempotent-Replayed"] == "false"
    assert Booking.objects.count() == 2
    assert purge_expired(now=now + timedelta(hours=2 * IDEMPOTENCY_HOURS + 1)) == 1


@pytest.mark.parametrize("key", ["", "x" * 256, "has space", "naïve"])
def test_a_key_that_cannot_be_one_is_a_400_naming_the_header(client, service, auth, key):
    body = assert_error(book(client, service, auth, key=key), 400)

    assert list(body["errors"]) == ["Idempotency-Key"]
    assert not Booking.objects.exists()


def test_the_key_adds_two_statements_to_a_booking(client, service, auth, django_assert_num_queries):
    # The ten statements and the transaction's SAVEPOINT and RELEASE of a booking without a
    # key (test_api_bookings_create.py), plus the key's claim and its stored answer.
    payload = booking_payload(service)
    with django_assert_num_queries(14):
        created = send(client, "post", CREATE, payload, **auth, HTTP_IDEMPOTENCY_KEY=KEY)

    assert created.status_code == 201


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_with_one_key_make_one_booking(service, customer):
    auth = bearer(customer)

    def send_once():
        return book(Client(), service, auth)

    results = race([send_once for _ in range(4)], what="a retried booking")

    assert [r.status_code for r in results] == [201] * 4
    assert len({r.content for r in results}) == 1
    assert sorted(r["Idempotent-Replayed"] for r in results) == ["false", "true", "true", "true"]
    assert Booking.objects.count() == 1
