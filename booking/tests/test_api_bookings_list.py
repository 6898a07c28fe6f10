"""GET /api/bookings/: a user's own bookings, filtered and a page at a time."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import factory
import pytest

from booking.schemas import PAGE_SIZE
from tests.api_client import assert_error, bearer

from .api_helpers import BOOKINGS
from .factories import BookingFactory, local
from .helpers import TUESDAY_10, S

pytestmark = pytest.mark.django_db


def references(response):
    return [booking["booking_reference"] for booking in response.json()["results"]]


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
