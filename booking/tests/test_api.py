"""What an API client gets from booking: free slots, booking a service, their bookings and
status changes, with every refusal as JSON a client can act on."""

import re
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import factory
import pytest

from accounts.models import VerificationStatus
from accounts.tests.factories import (
    AdminFactory,
    CityFactory,
    CustomerFactory,
    ProviderFactory,
)
from booking import services
from booking.models import REFERENCE_ALPHABET, Booking, BookingStatus, BookingStatusHistory
from booking.schemas import PAGE_SIZE
from catalog.models import Service
from catalog.services import set_service_active
from tests.api_client import assert_error, bearer, send

from .factories import BookingFactory, bookable_service, booking_input, hourly_service, local

pytestmark = pytest.mark.django_db

S = BookingStatus
BOOKINGS = "/api/bookings/"
CREATE = "/api/bookings/create/"
TUESDAY_10 = local(2026, 3, 3, 10)  # the `now` fixture is Monday 2 March 2026, 7:00 CST


def slots_url(service_or_id):
    return f"/api/services/{getattr(service_or_id, 'pk', service_or_id)}/slots/"


def booking_url(booking_or_reference):
    reference = getattr(booking_or_reference, "booking_reference", booking_or_reference)
    return f"{BOOKINGS}{reference}/"


def status_url(booking_or_reference):
    return f"{booking_url(booking_or_reference)}status/"


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


def times(response):
    return [slot["scheduled_time"] for slot in response.json()["slots"]]


def references(response):
    return [booking["booking_reference"] for booking in response.json()["results"]]


def snapshot(booking):
    """Everything a status change could alter."""
    row = Booking.objects.values().get(pk=booking.pk)
    return row, BookingStatusHistory.objects.filter(booking_id=booking.pk).count()


@pytest.fixture
def austin():
    return CityFactory(name="Austin", state="TX")


@pytest.fixture
def service(now, austin):
    """Monday to Friday 9:00-17:00 in Chicago, one hour, $120, serving Austin."""
    return bookable_service(city=austin, base_price=Decimal("120.00"), duration_minutes=60)


@pytest.fixture
def customer():
    return CustomerFactory(email="rosa@example.com", first_name="Rosa", last_name="Diaz")


@pytest.fixture
def customer_auth(customer):
    return bearer(customer)


@pytest.fixture
def request_for_tuesday(service, customer):
    """A PENDING request of `customer` for Tuesday 10:00, made through the service layer."""
    return services.create_booking(**booking_input(service, TUESDAY_10, customer=customer))


# Free slots ---------------------------------------------------------------------------


def test_slots_are_the_free_local_start_times_of_the_date(client, service):
    services.create_booking(**booking_input(service, local(2026, 3, 3, 12)))

    response = client.get(slots_url(service), {"date": "2026-03-03"})

    assert response.status_code == 200
    body = response.json()
    assert (body["service"], body["date"], body["time_zone"]) == (
        service.pk,
        "2026-03-03",
        "America/Chicago",
    )
    assert body["slots"][0] == {
        "starts_at": "2026-03-03T09:00:00-06:00",
        "scheduled_date": "2026-03-03",
        "scheduled_time": "09:00",
    }
    # One-hour jobs every half hour until 16:00; the 12:00 booking takes 11:30 to 12:30.
    assert times(response) == [
        "09:00", "09:30", "10:00", "10:30", "11:00",
        "13:00", "13:30", "14:00", "14:30", "15:00", "15:30", "16:00",
    ]  # fmt: skip


def test_slots_keep_their_local_time_across_daylight_saving(client, service):
    # Clocks went forward on Sunday 8 March: 9:00 is now UTC-5.
    response = client.get(slots_url(service), {"date": "2026-03-09"})

    assert response.json()["slots"][0]["starts_at"] == "2026-03-09T09:00:00-05:00"
    assert times(response)[0] == "09:00"


def test_a_day_the_provider_does_not_work_has_no_slots(client, service):
    response = client.get(slots_url(service), {"date": "2026-03-08"})  # a Sunday

    assert response.status_code == 200
    assert response.json()["slots"] == []


def test_today_is_offered_from_now_on(client, service, time_machine):
    time_machine.move_to(local(2026, 3, 2, 15, 10), tick=False)

    response = client.get(slots_url(service), {"date": "2026-03-02"})

    assert times(response) == ["15:30", "16:00"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "This field is required."),
        ({"date": ""}, "Enter a date as YYYY-MM-DD."),
        ({"date": "tomorrow"}, "Enter a date as YYYY-MM-DD."),
        ({"date": "03/03/2026"}, "Enter a date as YYYY-MM-DD."),
        ({"date": "2026-02-30"}, "Enter a date as YYYY-MM-DD."),
        ({"date": "2026-W10-2"}, "Enter a date as YYYY-MM-DD."),
        ({"date": "2" * 10_000}, "at most 10 characters"),
        ({"date": "2026-03-01"}, "That date has passed; today is 2026-03-02."),
        ({"date": "2027-03-03"}, "at most 365 days ahead"),
        ({"date": "9999-12-31"}, "at most 365 days ahead"),
    ],
)
def test_a_bad_or_past_date_is_a_400_naming_it(client, service, params, message):
    body = assert_error(client.get(slots_url(service), params), 400)

    assert list(body["errors"]) == ["date"]
    assert message in body["errors"]["date"][0]


def test_slots_of_an_unknown_or_unlisted_service_are_404(client, service):
    paused = bookable_service()
    set_service_active(service=paused, user=paused.provider.user, active=False)
    pending = ProviderFactory(verification=VerificationStatus.PENDING).provider_profile
    unverified = bookable_service(provider=pending)

    for missing in (999999, paused, unverified):
        body = assert_error(client.get(slots_url(missing), {"date": "2026-03-03"}), 404)
        assert body == {"detail": "Not found."}


def test_slots_live_beside_the_service_itself(client, service):
    assert client.get(f"/api/services/{service.pk}/").json()["id"] == service.pk
    assert client.get(slots_url(service), {"date": "2026-03-03"}).json()["service"] == service.pk


# Booking a service --------------------------------------------------------------------


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
    ("impossible time", {"scheduled_time": "25:00"}, "scheduled_time", "valid time"),
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


# A user's bookings --------------------------------------------------------------------


def test_customers_see_their_own_bookings_and_providers_the_jobs_booked_with_them(
    client, service, customer
):
    mine = BookingFactory(service=service, customer=customer, starts_at=local(2026, 3, 4, 10))
    for_the_same_provider = BookingFactory(service=service, starts_at=local(2026, 3, 5, 10))
    BookingFactory(starts_at=local(2026, 3, 6, 10))  # another provider, another customer

    as_customer = client.get(BOOKINGS, **bearer(customer))
    as_provider = client.get(BOOKINGS, **bearer(service.provider.user))

    assert references(as_customer) == [mine.booking_reference]
    assert references(as_provider) == [
        for_the_same_provider.booking_reference,
        mine.booking_reference,
    ]
    result = as_customer.json()["results"][0]
    assert (result["status"], result["scheduled_date"], result["scheduled_time"]) == (
        "PENDING",
        "2026-03-04",
        "10:00",
    )
    assert "history" not in result


def test_bookings_filter_by_status_and_by_upcoming(client, service, customer):
    def book(day, status):
        return BookingFactory(
            service=service, customer=customer, status=status, starts_at=local(2026, 3, day, 10)
        ).booking_reference

    later, sooner = book(12, S.CONFIRMED), book(4, S.PENDING)
    cancelled, past = book(5, S.CANCELLED), book(1, S.COMPLETED)
    auth = bearer(customer)

    def listed(**params):
        response = client.get(BOOKINGS, params, **auth)
        assert response.status_code == 200
        return references(response)

    assert listed() == [later, cancelled, sooner, past]
    assert listed(upcoming="true") == [sooner, later]
    assert listed(upcoming="false") == [cancelled, past]
    assert listed(status="CONFIRMED") == [later]
    assert listed(status="CANCELLED", upcoming="true") == []
    assert listed(status="", upcoming="", page="") == [later, cancelled, sooner, past]


def a_day_apart(first=TUESDAY_10):
    return factory.Sequence(lambda n: first + timedelta(days=n))


def test_bookings_come_a_page_at_a_time(client, service, customer):
    BookingFactory.create_batch(
        PAGE_SIZE + 3, service=service, customer=customer, starts_at=a_day_apart()
    )
    auth = bearer(customer)

    first = client.get(BOOKINGS, {"upcoming": "true"}, **auth).json()
    second = client.get(first["next"], **auth).json()

    assert first["count"] == second["count"] == PAGE_SIZE + 3
    assert (len(first["results"]), len(second["results"])) == (PAGE_SIZE, 3)
    assert first["previous"] is None and second["next"] is None
    parts = urlsplit(first["next"])
    assert (parts.scheme, parts.netloc, parts.path) == ("http", "testserver", BOOKINGS)
    assert parse_qs(parts.query) == {"upcoming": ["true"], "page": ["2"]}
    assert client.get(second["previous"], **auth).json() == first
    assert {b["booking_reference"] for b in first["results"]}.isdisjoint(
        b["booking_reference"] for b in second["results"]
    )


def test_no_bookings_is_an_empty_first_page(client, customer):
    body = client.get(BOOKINGS, **bearer(customer)).json()

    assert body == {"count": 0, "next": None, "previous": None, "results": []}


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"status": "DONE"}, "status", "Input should be 'PENDING'"),
        ({"status": "pending"}, "status", "Input should be 'PENDING'"),
        ({"upcoming": "soon"}, "upcoming", "valid boolean"),
        ({"page": "0"}, "page", "greater than or equal to 1"),
        ({"page": "two"}, "page", "valid integer"),
        ({"page": "2"}, "page", "The last page is 1."),
        ({"page": "9" * 400}, "page", "The last page is 1."),
        ({"page": "9" * 5000}, "page", "as an integer"),
    ],
)
def test_bad_list_parameters_are_a_400_naming_them(client, customer, params, field, message):
    BookingFactory(customer=customer)

    body = assert_error(client.get(BOOKINGS, params, **bearer(customer)), 400)

    assert list(body["errors"]) == [field]
    assert message in body["errors"][field][0]


@pytest.mark.parametrize("count", [1, 15])
@pytest.mark.parametrize("role", ["customer", "provider"])
def test_the_list_takes_the_same_queries_however_many_bookings(
    client, service, customer, role, count, django_assert_num_queries
):
    BookingFactory.create_batch(count, service=service, customer=customer, starts_at=a_day_apart())
    auth = bearer(customer if role == "customer" else service.provider.user)

    with django_assert_num_queries(3):  # the token's user, the count, the page
        response = client.get(BOOKINGS, **auth)

    assert len(response.json()["results"]) == count


def test_the_list_needs_a_token(client):
    assert_error(client.get(BOOKINGS), 401)


# One booking --------------------------------------------------------------------------


def test_the_detail_shows_the_history_and_what_the_caller_may_do(
    client, service, request_for_tuesday, customer
):
    booking = request_for_tuesday
    services.transition_booking(booking=booking, to_status=S.CONFIRMED, by=service.provider.user)

    as_customer = client.get(booking_url(booking), **bearer(customer)).json()
    as_provider = client.get(booking_url(booking), **bearer(service.provider.user)).json()
    as_admin = client.get(booking_url(booking), **bearer(AdminFactory())).json()

    assert [
        (e["from_status"], e["to_status"], e["changed_by"]) for e in as_customer["history"]
    ] == [
        (None, "PENDING", "customer"),
        ("PENDING", "CONFIRMED", "provider"),
    ]
    assert as_customer["allowed_actions"] == {"status": ["CANCELLED"], "reschedule": True}
    assert as_provider["allowed_actions"] == {
        "status": ["IN_PROGRESS", "CANCELLED"],
        "reschedule": True,
    }
    assert as_admin["allowed_actions"]["status"] == ["IN_PROGRESS", "CANCELLED"]
    assert as_provider["customer"]["email"] == "rosa@example.com"


def test_the_reference_may_be_typed_in_lower_case(client, request_for_tuesday, customer):
    reference = request_for_tuesday.booking_reference

    response = client.get(booking_url(reference.lower()), **bearer(customer))

    assert response.json()["booking_reference"] == reference


def test_the_detail_changes_with_the_clock(client, request_for_tuesday, customer, time_machine):
    time_machine.move_to(local(2026, 3, 3, 10, 30), tick=False)  # the job's time has passed

    body = client.get(booking_url(request_for_tuesday), **bearer(customer)).json()

    assert body["allowed_actions"] == {"status": ["CANCELLED"], "reschedule": False}


@pytest.mark.parametrize(
    "make_intruder", [CustomerFactory, ProviderFactory], ids=["customer B", "provider B"]
)
def test_someone_elses_booking_is_not_found_like_one_that_does_not_exist(
    client, request_for_tuesday, make_intruder
):
    auth = bearer(make_intruder())

    theirs = client.get(booking_url(request_for_tuesday), **auth)
    missing = client.get(booking_url("BK-2222-2222"), **auth)
    nonsense = client.get(booking_url("x" * 5000), **auth)

    assert theirs.status_code == missing.status_code == nonsense.status_code == 404
    assert theirs.json() == missing.json() == nonsense.json() == {"detail": "Not found."}


def test_the_detail_needs_a_token(client, request_for_tuesday):
    assert_error(client.get(booking_url(request_for_tuesday)), 401)


# Status changes -----------------------------------------------------------------------


def test_the_provider_confirms_starts_and_completes_a_job(
    client, service, request_for_tuesday, time_machine
):
    booking = request_for_tuesday
    provider = service.provider.user

    confirmed = send(
        client, "post", status_url(booking), {"status": "CONFIRMED"}, **bearer(provider)
    )
    time_machine.move_to(local(2026, 3, 3, 10), tick=False)
    auth = bearer(provider)  # the first token has expired by now
    started = send(client, "post", status_url(booking), {"status": "IN_PROGRESS"}, **auth)
    completed = send(
        client, "post", status_url(booking), {"status": "COMPLETED", "notes": "All dry."}, **auth
    )

    assert [r.status_code for r in (confirmed, started, completed)] == [200, 200, 200]
    assert confirmed.json()["allowed_actions"] == {
        "status": ["IN_PROGRESS", "CANCELLED"],
        "reschedule": True,
    }
    body = completed.json()
    assert body["status"] == "COMPLETED"
    assert body["allowed_actions"] == {"status": [], "reschedule": False}
    assert [(e["to_status"], e["changed_by"], e["notes"]) for e in body["history"]] == [
        ("PENDING", "customer", ""),
        ("CONFIRMED", "provider", ""),
        ("IN_PROGRESS", "provider", ""),
        ("COMPLETED", "provider", "All dry."),
    ]
    assert Service.objects.get(pk=service.pk).completed_bookings_count == 1


def test_the_provider_declines_a_request_and_the_slot_is_free_again(
    client, service, request_for_tuesday
):
    response = send(
        client,
        "post",
        status_url(request_for_tuesday),
        {"status": "REJECTED", "notes": "Fully booked that week."},
        **bearer(service.provider.user),
    )

    assert response.json()["status"] == "REJECTED"
    assert "10:00" in times(client.get(slots_url(service), {"date": "2026-03-03"}))


def test_the_customer_cancels_their_request(client, request_for_tuesday, customer):
    response = send(
        client,
        "post",
        status_url(request_for_tuesday),
        {"status": "CANCELLED", "notes": "Fixed it myself."},
        **bearer(customer),
    )

    body = response.json()
    assert (body["status"], body["cancellation_reason"]) == ("CANCELLED", "Fixed it myself.")
    assert body["allowed_actions"] == {"status": [], "reschedule": False}


def test_a_customer_cannot_confirm_their_own_request(client, request_for_tuesday, customer):
    before = snapshot(request_for_tuesday)

    response = send(
        client, "post", status_url(request_for_tuesday), {"status": "CONFIRMED"}, **bearer(customer)
    )

    assert assert_error(response, 403) == {"detail": "Only the provider can confirm this booking."}
    assert snapshot(request_for_tuesday) == before


def test_only_the_system_expires_requests(client, service, request_for_tuesday):
    response = send(
        client,
        "post",
        status_url(request_for_tuesday),
        {"status": "EXPIRED"},
        **bearer(service.provider.user),
    )

    assert assert_error(response, 403) == {"detail": "Only the system can expire this booking."}


@pytest.mark.parametrize(
    ("status", "at", "to_status", "who", "message"),
    [
        (S.CANCELLED, None, "CONFIRMED", "provider", "This booking is cancelled; it can no longer change."),
        (S.PENDING, None, "COMPLETED", "provider", "A pending booking can't be marked completed."),
        (S.PENDING, None, "PENDING", "customer", "This booking is already pending."),
        (S.PENDING, local(2026, 3, 3, 10), "CONFIRMED", "provider", "The requested time has passed; this request can no longer be confirmed."),
        (S.CONFIRMED, local(2026, 3, 2, 10), "CANCELLED", "customer", "Free cancellation ended Mon 2 Mar 2026, 10:00 CST, 24 hours before the start. Please contact the provider."),
    ],
    ids=["final", "skipping a step", "same status", "too late to confirm", "too late to cancel free"],
)  # fmt: skip
def test_a_change_the_status_or_clock_rules_out_is_a_409_and_changes_nothing(
    client, service, customer, time_machine, status, at, to_status, who, message
):
    booking = BookingFactory(
        service=service, customer=customer, status=status, starts_at=TUESDAY_10
    )
    if at:
        time_machine.move_to(at, tick=False)
    before = snapshot(booking)
    person = customer if who == "customer" else service.provider.user

    response = send(client, "post", status_url(booking), {"status": to_status}, **bearer(person))

    assert assert_error(response, 409) == {"detail": message}
    assert snapshot(booking) == before


def test_a_provider_cancelling_a_confirmed_job_must_say_why(client, service, customer):
    booking = BookingFactory(service=service, customer=customer, status=S.CONFIRMED)
    before = snapshot(booking)
    auth = bearer(service.provider.user)

    silent = send(client, "post", status_url(booking), {"status": "CANCELLED"}, **auth)

    body = assert_error(silent, 400)
    assert body["errors"] == {
        "notes": ["Please tell the customer why you are cancelling a confirmed job."]
    }
    assert snapshot(booking) == before
    explained = send(
        client,
        "post",
        status_url(booking),
        {"status": "CANCELLED", "notes": "The van broke down."},
        **auth,
    )
    assert explained.json()["cancellation_reason"] == "The van broke down."


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"status": "DONE"}, "status", "Input should be 'PENDING'"),
        ({}, "status", "This field is required."),
        ({"status": "CANCELLED", "notes": "x" * 1001}, "notes", "at most 1000 characters"),
        ({"status": "CANCELLED", "notes": None}, "notes", "valid string"),
    ],
)
def test_a_bad_status_change_is_a_400_and_changes_nothing(
    client, request_for_tuesday, customer, data, field, message
):
    before = snapshot(request_for_tuesday)

    response = send(client, "post", status_url(request_for_tuesday), data, **bearer(customer))

    body = assert_error(response, 400)
    assert list(body["errors"]) == [field]
    assert message in body["errors"][field][0]
    assert snapshot(request_for_tuesday) == before


@pytest.mark.parametrize(
    ("make_intruder", "to_status"),
    [(CustomerFactory, "CANCELLED"), (ProviderFactory, "CONFIRMED")],
    ids=["customer B cancels", "provider B confirms"],
)
def test_someone_elses_booking_cannot_be_changed_or_even_seen(
    client, request_for_tuesday, make_intruder, to_status
):
    before = snapshot(request_for_tuesday)
    auth = bearer(make_intruder())

    theirs = send(client, "post", status_url(request_for_tuesday), {"status": to_status}, **auth)
    missing = send(client, "post", status_url("BK-2222-2222"), {"status": to_status}, **auth)

    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json() == {"detail": "Not found."}
    assert snapshot(request_for_tuesday) == before


def test_a_status_change_needs_a_token(client, request_for_tuesday):
    before = snapshot(request_for_tuesday)

    assert_error(
        send(client, "post", status_url(request_for_tuesday), {"status": "CANCELLED"}), 401
    )

    assert snapshot(request_for_tuesday) == before
