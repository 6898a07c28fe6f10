"""POST /api/bookings/{reference}/reschedule/ and GET .../calendar.ics."""

import pytest

from accounts.tests.factories import CustomerFactory
from booking.models import Booking
from tests.api_client import assert_error, bearer, send

from .api_helpers import booking_url
from .factories import BookingFactory, local
from .helpers import TUESDAY_10, S

pytestmark = pytest.mark.django_db


def reschedule_url(booking):
    return f"{booking_url(booking)}reschedule/"


def test_the_customer_moves_a_request_to_another_free_time(client, request_for_tuesday, customer):
    response = send(
        client,
        "post",
        reschedule_url(request_for_tuesday),
        {"scheduled_date": "2026-03-04", "scheduled_time": "14:00:00", "notes": "Later suits"},
        **bearer(customer),
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["scheduled_date"], body["scheduled_time"]) == ("2026-03-04", "14:00")
    assert "Later suits" in body["history"][-1]["notes"]
    assert Booking.objects.get().starts_at == local(2026, 3, 4, 14)


def test_the_provider_moves_it_too(client, request_for_tuesday, service):
    response = send(
        client,
        "post",
        reschedule_url(request_for_tuesday),
        {"starts_at": "2026-03-04T09:00:00-06:00"},
        **bearer(service.provider.user),
    )

    assert response.status_code == 200
    assert Booking.objects.get().starts_at == local(2026, 3, 4, 9)


def test_a_time_someone_holds_is_a_409_with_the_next_free_times(
    client, request_for_tuesday, customer, service
):
    BookingFactory(service=service, status=S.CONFIRMED, starts_at=local(2026, 3, 4, 14))

    response = send(
        client,
        "post",
        reschedule_url(request_for_tuesday),
        {"scheduled_date": "2026-03-04", "scheduled_time": "14:00"},
        **bearer(customer),
    )

    body = assert_error(response, 409)
    assert body["next_slots"]
    assert Booking.objects.get(pk=request_for_tuesday.pk).starts_at == TUESDAY_10


def test_outside_working_hours_is_a_400_naming_starts_at(client, request_for_tuesday, customer):
    response = send(
        client,
        "post",
        reschedule_url(request_for_tuesday),
        {"scheduled_date": "2026-03-04", "scheduled_time": "20:00"},
        **bearer(customer),
    )

    assert list(assert_error(response, 400)["errors"]) == ["starts_at"]


def test_a_time_with_an_offset_is_a_400(client, request_for_tuesday, customer):
    response = send(
        client,
        "post",
        reschedule_url(request_for_tuesday),
        {"scheduled_date": "2026-03-04", "scheduled_time": "14:00+01:00"},
        **bearer(customer),
    )

    assert list(assert_error(response, 400)["errors"]) == ["scheduled_time"]


def test_a_finished_booking_cannot_move(client, service, customer):
    done = BookingFactory(service=service, customer=customer, status=S.COMPLETED)

    response = send(
        client,
        "post",
        reschedule_url(done),
        {"scheduled_date": "2026-03-04", "scheduled_time": "14:00"},
        **bearer(customer),
    )

    assert_error(response, 409)


def test_someone_elses_booking_is_not_found(client, request_for_tuesday):
    response = send(
        client,
        "post",
        reschedule_url(request_for_tuesday),
        {"scheduled_date": "2026-03-04", "scheduled_time": "14:00"},
        **bearer(CustomerFactory()),
    )

    assert_error(response, 404)
    assert Booking.objects.get().starts_at == TUESDAY_10


def test_the_booking_as_a_calendar_entry(client, request_for_tuesday, customer):
    url = f"{booking_url(request_for_tuesday)}calendar/"

    response = client.get(url, **bearer(customer))
    stranger = client.get(url, **bearer(CustomerFactory()))

    assert response.status_code == 200
    body = response.json()
    reference = request_for_tuesday.booking_reference
    assert (body["filename"], body["content_type"]) == (f"{reference}.ics", "text/calendar")
    assert body["ics"].startswith("BEGIN:VCALENDAR") and "STATUS:TENTATIVE" in body["ics"]
    assert reference in body["ics"]
    assert_error(stranger, 404)
