"""Free cancellation is a period before the start: a booking made inside it never had free
cancellation (no deadline that had passed before it was booked), and one made before it
shows its real deadline, in the provider's zone."""

import re

import pytest

from accounts.tests.factories import CityFactory, CustomerFactory
from tests.api_client import assert_error, bearer, send

from .api_helpers import booking_url
from .factories import bookable_service, local

pytestmark = pytest.mark.django_db

CREATE = "/api/bookings/create/"
NEVER_FREE = (
    "This booking was made less than 24 hours before the start, so it can't be cancelled "
    "for free. Please contact the provider."
)
# A date as the booking page writes one ("Tue 1 Dec, 14:00").
A_DATE = re.compile(r"\w{3} \d{1,2} \w{3}, \d\d:\d\d")


def book(client, service, customer_auth, day, hour):
    data = {
        "service": service.pk,
        "scheduled_date": day,
        "scheduled_time": hour,
        "service_address": "12 Elm Street, Apt 3",
        "service_city": service.provider.cities.first().slug,
        "service_postal_code": "78701",
    }
    response = send(client, "post", CREATE, data, **customer_auth)
    assert response.status_code == 201, response.json()
    return response.json()


def free_cancellation_line(client, reference) -> str:
    """What the booking page says under "Free cancellation", as words."""
    page = client.get(f"/bookings/{reference}/").content.decode()
    found = re.search(r"<dt>Free cancellation</dt><dd>(.*?)</dd>", page, flags=re.S)
    assert found, "the booking page has no free-cancellation line"
    words = re.sub(r"<[^>]+>", " ", found.group(1)).replace("&#x27;", "'")
    return " ".join(words.split())


@pytest.fixture
def same_day(client, time_machine):
    """Tuesday 1 December 2026, 8:00 in Chicago: a customer books 14:00 the same day (inside
    the provider's 24 hours), and the provider confirms it."""
    time_machine.move_to(local(2026, 12, 1, 8), tick=False)
    service = bookable_service(city=CityFactory(name="Austin", state="TX"))
    customer = CustomerFactory()
    customer_auth = bearer(customer)
    booked = book(client, service, customer_auth, "2026-12-01", "14:00")
    confirmed = send(
        client,
        "post",
        f"{booking_url(booked['booking_reference'])}status/",
        {"status": "CONFIRMED"},
        **bearer(service.provider.user),
    )
    assert confirmed.status_code == 200
    return {"booked": booked, "customer": customer, "customer_auth": customer_auth}


def test_a_same_day_booking_has_no_free_cancellation_deadline_in_the_api(client, same_day):
    reference = same_day["booked"]["booking_reference"]

    detail = client.get(booking_url(reference), **same_day["customer_auth"]).json()

    assert same_day["booked"]["free_cancellation_until"] is None
    assert detail["free_cancellation_until"] is None
    # Confirmed, it cannot be cancelled (nor moved) by the customer: nothing is offered.
    assert detail["allowed_actions"] == {"status": [], "reschedule": False}


def test_the_booking_page_shows_no_past_deadline_for_a_same_day_booking(client, same_day):
    client.force_login(same_day["customer"])

    line = free_cancellation_line(client, same_day["booked"]["booking_reference"])

    assert not A_DATE.search(line), line
    assert "Free cancellation isn't available" in line


def test_the_customer_cancelling_a_confirmed_same_day_booking_is_told_why_not(client, same_day):
    reference = same_day["booked"]["booking_reference"]
    status_url = f"{booking_url(reference)}status/"

    response = send(
        client, "post", status_url, {"status": "CANCELLED"}, **same_day["customer_auth"]
    )

    assert assert_error(response, 409)["detail"] == NEVER_FREE
    assert client.get(booking_url(reference), **same_day["customer_auth"]).json()["status"] == (
        "CONFIRMED"
    )


def test_the_booking_page_tells_the_customer_why_they_cannot_cancel(client, same_day):
    reference = same_day["booked"]["booking_reference"]
    client.force_login(same_day["customer"])

    response = client.post(f"/bookings/{reference}/status/", {"status": "CANCELLED"}, follow=True)

    assert NEVER_FREE in response.content.decode().replace("&#x27;", "'")
    assert "is now cancelled" not in response.content.decode()


def test_a_booking_made_days_ahead_shows_its_deadline_in_the_providers_zone(client, now):
    # A New York provider; the site's own zone is UTC and the customer's is not asked.
    service = bookable_service(
        time_zone="America/New_York",
        city=CityFactory(name="Albany", state="NY", time_zone="America/New_York"),
    )
    customer = CustomerFactory()
    # Wednesday 11 March, 10:00 in New York (EDT since the 8th): the deadline is a day before.
    booked = book(client, service, bearer(customer), "2026-03-11", "10:00")
    client.force_login(customer)

    line = free_cancellation_line(client, booked["booking_reference"])

    assert booked["free_cancellation_until"] == "2026-03-10T10:00:00-04:00"
    assert "Tue 10 Mar, 10:00" in line
    assert "isn't available" not in line
