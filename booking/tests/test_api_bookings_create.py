"""POST /api/bookings/create/: booking a service, with every refusal as JSON a client can act on."""

import re
from decimal import Decimal

import pytest

from accounts.models import VerificationStatus
from accounts.tests.factories import AdminFactory, CityFactory, CustomerFactory, ProviderFactory
from booking.models import REFERENCE_ALPHABET, Booking
from catalog.services import set_service_active
from tests.api_client import assert_error, bearer, send

from .api_helpers import BOOKINGS, booking_url, slots_url, times
from .factories import hourly_service, local

pytestmark = pytest.mark.django_db

CREATE = "/api/bookings/create/"


def booking_payload(booked, **overrides):
    """What a client sends to book the service `booked` on Tuesday 3 March at 10:00, local
    time; override any field."""
    data = {
        "service": booked.pk,
        "scheduled_date": "2026-03-03",
        "scheduled_time": "10:00",
        "estimated_duration_minutes": booked.duration_minutes,
        "service_address": "12 Elm Street, Apt 3",
        "service_city": booked.provider.cities.first().slug,
        "service_state": "TX",
        "service_postal_code": "78701",
        "customer_notes": "The gate code is 1234.",
    }
    return data | overrides


@pytest.fixture
def customer_auth(customer):
    return bearer(customer)


def test_customer_books_a_free_slot_as_a_pending_request(
    client, service, customer, customer_auth, austin
):
    response = send(client, "post", CREATE, booking_payload(service), **customer_auth)

    assert response.status_code == 201
    body = response.json()
    group = f"[{REFERENCE_ALPHABET}]{{4}}"
    assert re.fullmatch(f"BK-{group}-{group}", body["booking_reference"])
    booking = Booking.objects.get()
    assert booking.booking_reference == body["booking_reference"]
    assert booking.customer == customer
    expected = {
        "id": booking.pk,
        "status": "PENDING",
        "service": {"id": service.pk, "title": service.title, "slug": service.slug},
        "provider": {
            "id": service.provider.pk,
            "business_name": service.provider.display_name,
            "slug": service.provider.slug,
        },
        "customer": {
            "id": customer.pk,
            "first_name": "Rosa",
            "last_name": "Diaz",
            "email": "rosa@example.com",
            "phone": "",
        },
        "starts_at": "2026-03-03T10:00:00-06:00",
        "ends_at": "2026-03-03T11:00:00-06:00",
        "time_zone": "America/Chicago",
        "scheduled_date": "2026-03-03",
        "scheduled_time": "10:00",
        "estimated_duration_minutes": 60,
        "service_address": "12 Elm Street, Apt 3",
        "service_city": {"slug": "austin-tx", "name": "Austin", "state": "TX"},
        "service_state": "TX",
        "service_postal_code": "78701",
        "customer_notes": "The gate code is 1234.",
        "base_price": "120.00",
        "pricing_type": "FIXED",
        "currency": "USD",
        "estimated_total": "120.00",
        "free_cancellation_until": "2026-03-02T10:00:00-06:00",
        "cancellation_reason": "",
        "allowed_actions": {"status": ["CANCELLED"], "reschedule": True},
    }
    assert {key: body[key] for key in expected} == expected
    assert [(e["from_status"], e["to_status"], e["changed_by"]) for e in body["history"]] == [
        (None, "PENDING", "customer")
    ]
    assert client.get(booking_url(booking), **customer_auth).json() == body
    assert "10:00" not in times(client.get(slots_url(service), {"date": "2026-03-03"}))


def test_the_time_is_local_to_the_provider_across_daylight_saving(client, service, customer_auth):
    data = booking_payload(service, scheduled_date="2026-03-09", scheduled_time="10:00")

    response = send(client, "post", CREATE, data, **customer_auth)

    assert response.json()["starts_at"] == "2026-03-09T10:00:00-05:00"
    assert Booking.objects.get().starts_at == local(2026, 3, 9, 10)


def test_an_hourly_job_is_priced_by_its_estimated_duration(client, now, customer_auth):
    service = hourly_service(base_price=Decimal("45.55"), duration_minutes=60)
    data = booking_payload(service, estimated_duration_minutes=150)

    body = send(client, "post", CREATE, data, **customer_auth).json()

    assert (body["estimated_duration_minutes"], body["estimated_total"]) == (150, "113.88")
    assert body["ends_at"] == "2026-03-03T12:30:00-06:00"


def test_the_duration_of_a_fixed_price_service_may_be_left_out(client, service, customer_auth):
    data = booking_payload(service)
    del data["estimated_duration_minutes"]

    response = send(client, "post", CREATE, data, **customer_auth)

    assert response.json()["estimated_duration_minutes"] == 60


@pytest.mark.parametrize("named", ["austin-tx", "AUSTIN-TX", "Austin", "austin", " Austin, TX "])
def test_the_city_is_a_slug_or_a_name(client, service, customer_auth, austin, named):
    response = send(
        client, "post", CREATE, booking_payload(service, service_city=named), **customer_auth
    )

    assert response.status_code == 201
    assert Booking.objects.get().service_city == austin


def test_two_served_cities_of_one_name_need_the_slug(client, service, customer_auth):
    springfield_il = CityFactory(name="Springfield", state="IL")
    service.provider.cities.add(springfield_il, CityFactory(name="Springfield", state="MO"))

    vague = send(
        client,
        "post",
        CREATE,
        booking_payload(service, service_city="Springfield"),
        **customer_auth,
    )
    precise = send(
        client,
        "post",
        CREATE,
        booking_payload(service, service_city="Springfield, IL"),
        **customer_auth,
    )

    body = assert_error(vague, 400)
    assert body["errors"]["service_city"] == [
        "This provider serves more than one Springfield. "
        "Send springfield-il or “Springfield, IL”; springfield-mo or “Springfield, MO”."
    ]
    assert precise.status_code == 201
    assert Booking.objects.get().service_city == springfield_il


def test_the_state_defaults_to_the_citys(client, service, customer_auth):
    data = booking_payload(service)
    del data["service_state"]

    assert send(client, "post", CREATE, data, **customer_auth).json()["service_state"] == "TX"


def test_a_slot_just_taken_is_a_409_with_the_next_free_slots(client, service, customer_auth):
    first = send(client, "post", CREATE, booking_payload(service), **customer_auth)
    other_customer = bearer(CustomerFactory())

    response = send(client, "post", CREATE, booking_payload(service), **other_customer)

    assert first.status_code == 201
    body = assert_error(response, 409)
    assert body["detail"].startswith("This time was just taken.")
    assert body["next_slots"] == [
        {
            "starts_at": f"2026-03-03T{hour}-06:00",
            "scheduled_date": "2026-03-03",
            "scheduled_time": hour[:5],
        }
        for hour in ("11:00:00", "11:30:00", "12:00:00")
    ]
    assert Booking.objects.count() == 1
    retry = booking_payload(service, scheduled_time=body["next_slots"][0]["scheduled_time"])
    assert send(client, "post", CREATE, retry, **other_customer).status_code == 201


BAD_BOOKINGS = [
    # (case, change to the payload, field named in `errors`, words the client reads)
    ("past date", {"scheduled_date": "2026-03-01"}, "scheduled_date", "That date has passed"),
    ("earlier today", {"scheduled_date": "2026-03-02", "scheduled_time": "06:00"}, "starts_at", "already passed"),
    ("before opening", {"scheduled_time": "07:00"}, "starts_at", "isn't available"),
    ("after closing", {"scheduled_time": "16:30"}, "starts_at", "isn't available"),
    ("off the half-hour grid", {"scheduled_time": "10:10"}, "starts_at", "isn't available"),
    ("a Sunday", {"scheduled_date": "2026-03-08"}, "starts_at", "isn't available"),
    ("beyond the provider's horizon", {"scheduled_date": "2026-06-01"}, "starts_at", "at most 60 days ahead"),
    ("years ahead", {"scheduled_date": "9999-12-31"}, "scheduled_date", "at most 365 days ahead"),
    ("unserved city", {"service_city": "elsewhere-tx"}, "service_city", "doesn't work in Elsewhere, TX. They serve: Austin, TX."),
    ("unserved city by name", {"service_city": "elsewhere, tx"}, "service_city", "doesn't work in Elsewhere, TX."),
    ("unknown city", {"service_city": "Atlantis"}, "service_city", "Unknown city “Atlantis”. Cities this provider serves: austin-tx (Austin, TX)."),
    ("empty city", {"service_city": " "}, "service_city", "Please enter the city."),
    ("notes too long", {"customer_notes": "x" * 1001}, "customer_notes", "at most 1000 characters"),
    ("huge address", {"service_address": "x" * 100_000}, "service_address", "at most 255 characters"),
    ("blank address", {"service_address": "   "}, "service_address", "Please enter the address"),
    ("no postal code", {"service_postal_code": ""}, "service_postal_code", "Please enter the postal code"),
    ("other duration of a fixed price", {"estimated_duration_minutes": 120}, "estimated_duration_minutes", "takes 60 minutes"),
    ("unknown service", {"service": 999999}, "service", "There is no service with this id."),
    ("service as text", {"service": "plumbing"}, "service", "valid integer"),
    ("service id out of range", {"service": 10**30}, "service", "There is no service with this id."),
    ("date in words", {"scheduled_date": "next tuesday"}, "scheduled_date", "valid date"),
    ("impossible date", {"scheduled_date": "2026-02-30"}, "scheduled_date", "day value is outside expected range"),
    ("impossible time", {"scheduled_time": "25:00"}, "scheduled_time", "Give a local time as HH:MM or HH:MM:SS"),
    ("time with an offset", {"scheduled_time": "10:00+02:00"}, "scheduled_time", "without a UTC offset"),
    ("duration in words", {"estimated_duration_minutes": "an hour"}, "estimated_duration_minutes", "valid integer"),
    ("notes as a number", {"customer_notes": 12}, "customer_notes", "valid string"),
    ("city as a list", {"service_city": ["austin-tx"]}, "service_city", "valid string"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [case[1:] for case in BAD_BOOKINGS],
    ids=[case[0] for case in BAD_BOOKINGS],
)
def test_bad_bookings_are_a_400_naming_the_field_and_save_nothing(
    client, service, customer_auth, change, field, words
):
    CityFactory(name="Elsewhere", state="TX")

    response = send(client, "post", CREATE, booking_payload(service, **change), **customer_auth)

    body = assert_error(response, 400)
    assert list(body["errors"]) == [field]
    assert words in body["errors"][field][0]
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("make_unbookable", "words"),
    [
        (lambda s: set_service_active(service=s, user=s.provider.user, active=False), "no longer"),
        (
            lambda s: s.provider.__class__.objects.filter(pk=s.provider.pk).update(
                verification_status=VerificationStatus.PENDING
            ),
            "isn't taking bookings yet",
        ),
    ],
    ids=["paused service", "provider no longer verified"],
)
def test_an_unlisted_service_cannot_be_booked(
    client, service, customer_auth, make_unbookable, words
):
    make_unbookable(service)

    body = assert_error(
        send(client, "post", CREATE, booking_payload(service), **customer_auth), 400
    )

    assert words in body["errors"]["service"][0]
    assert not Booking.objects.exists()


def test_missing_fields_are_each_reported(client, service, customer_auth):
    body = assert_error(send(client, "post", CREATE, {"service": service.pk}, **customer_auth), 400)

    assert set(body["errors"]) == {
        "scheduled_date",
        "scheduled_time",
        "service_address",
        "service_city",
        "service_postal_code",
    }


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '"a string"'])
def test_a_body_that_is_not_a_json_object_is_a_400(client, service, customer_auth, body):
    response = client.post(CREATE, body, content_type="application/json", **customer_auth)

    assert_error(response, 400)
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    "make_user",
    [lambda s: s.provider.user, lambda s: ProviderFactory(), lambda s: AdminFactory()],
    ids=["its provider", "another provider", "an admin"],
)
def test_only_customers_can_book(client, service, make_user):
    auth = bearer(make_user(service))

    response = send(client, "post", CREATE, booking_payload(service), **auth)

    assert assert_error(response, 403) == {"detail": "Only customer accounts can book services."}
    assert not Booking.objects.exists()


def test_create_is_never_read_as_a_booking_reference(client, customer_auth):
    response = client.get(CREATE, **customer_auth)

    assert_error(response, 405)
    assert response["Allow"] == "POST"


def test_booking_needs_a_token(client, service):
    response = send(client, "post", CREATE, booking_payload(service))

    assert "Bearer" in assert_error(response, 401)["detail"]
    assert not Booking.objects.exists()


def test_booking_has_its_own_hourly_limit_per_customer(client, service, customer_auth, settings):
    settings.API_RATE_LIMIT_BOOKING_CREATE = "2/h"
    first, second, third = (
        send(client, "post", CREATE, booking_payload(service, scheduled_time=at), **customer_auth)
        for at in ("09:00", "11:00", "13:00")
    )

    assert (first.status_code, second.status_code) == (201, 201)
    assert_error(third, 429)
    assert 1 <= int(third["Retry-After"]) <= 3600
    assert Booking.objects.count() == 2
    assert client.get(BOOKINGS, **customer_auth).status_code == 200  # only booking is limited
    other = send(
        client,
        "post",
        CREATE,
        booking_payload(service, scheduled_time="15:00"),
        **bearer(CustomerFactory()),
    )
    assert other.status_code == 201


def test_booking_takes_ten_statements_and_answers_what_a_read_would(
    client, service, customer_auth, django_assert_num_queries
):
    # The token's user, the service with its provider and schedule, its cities; then the
    # locked schedule (in the same statement, the mark that search's free days are owed:
    # booking.free_days), hours, time off and bookings that decide the slot; the booking,
    # its history row and the notifications. Twelve with the SAVEPOINT and RELEASE of the
    # transaction, which the test's own transaction turns into a savepoint.
    payload = booking_payload(service)
    with django_assert_num_queries(12):
        created = send(client, "post", CREATE, payload, **customer_auth)

    assert created.status_code == 201
    read = client.get(booking_url(created.json()["booking_reference"]), **customer_auth)
    assert created.json() == read.json()
