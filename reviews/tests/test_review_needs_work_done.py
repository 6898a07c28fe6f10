"""Only work that happened is reviewed: a job marked completed before its start time (an
admin's override) cannot be reviewed, on the site or through the API; one completed after its
start can. The issue's story, end to end through the API, closes the file."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import AdminFactory, CityFactory, CustomerFactory
from booking.models import BookingStatus
from booking.tests.factories import bookable_service
from reviews.models import Review
from tests.api_client import assert_error, bearer, send

from .factories import answers, completed_booking

pytestmark = pytest.mark.django_db


CREATE = "/api/reviews/create/"
NOT_WORK_DONE = "This job was marked completed before its start time, so it can't be reviewed."


def marked_done_early(**fields):
    """A job an admin marked completed a day before its start (three days ago)."""
    starts_at = timezone.now() - timedelta(days=3)
    return completed_booking(
        starts_at=starts_at, status_changed_at=starts_at - timedelta(days=1), **fields
    )


def review_payload(booking, **overrides):
    return {"booking": booking.booking_reference, **answers(**overrides)}


def test_the_api_refuses_to_review_a_job_completed_before_its_start(client, now):
    booking = marked_done_early()

    response = send(client, "post", CREATE, review_payload(booking), **bearer(booking.customer))

    assert assert_error(response, 409)["detail"] == NOT_WORK_DONE
    assert not Review.objects.exists()


def test_a_job_completed_before_a_start_still_ahead_cannot_be_reviewed_either(client, now):
    booking = completed_booking(
        starts_at=timezone.now() + timedelta(days=9), status_changed_at=timezone.now()
    )

    response = send(client, "post", CREATE, review_payload(booking), **bearer(booking.customer))

    assert assert_error(response, 409)["detail"] == NOT_WORK_DONE
    assert not Review.objects.exists()


def test_the_site_neither_opens_nor_takes_the_review_form_of_such_a_job(client, now):
    booking = marked_done_early()
    client.force_login(booking.customer)
    form = reverse("reviews:write", args=[booking.booking_reference])

    page = client.get(booking.get_absolute_url()).content.decode()
    opened = client.get(form)
    sent = client.post(form, answers())

    assert form not in page  # no invitation to review
    assert "How did it go?" not in page
    assert (opened.status_code, opened["Location"]) == (302, booking.get_absolute_url())
    assert (sent.status_code, sent["Location"]) == (302, booking.get_absolute_url())
    assert not Review.objects.exists()


def test_a_job_completed_after_its_start_can_be_reviewed(client, now):
    booking = completed_booking()  # ended three days ago, an hour after its start

    response = send(client, "post", CREATE, review_payload(booking), **bearer(booking.customer))

    assert response.status_code == 201
    assert Review.objects.get().booking == booking


def test_a_job_completed_at_its_start_time_can_be_reviewed(client, now):
    booking = completed_booking()
    booking.status_changed_at = booking.starts_at
    booking.save(update_fields=["status_changed_at"])

    response = send(client, "post", CREATE, review_payload(booking), **bearer(booking.customer))

    assert response.status_code == 201


# --- The story, through the API ----------------------------------------------------


def test_a_job_nine_days_ahead_cannot_be_started_completed_or_reviewed_now(client, now):
    service = bookable_service(city=CityFactory(name="Austin", state="TX"))
    customer_auth = bearer(CustomerFactory())
    booking_request = {
        "service": service.pk,
        "scheduled_date": "2026-03-11",  # Wednesday, nine days after the Monday of `now`
        "scheduled_time": "10:00",
        "service_address": "12 Elm Street, Apt 3",
        "service_city": "austin-tx",
        "service_postal_code": "78701",
    }
    created = send(client, "post", "/api/bookings/create/", booking_request, **customer_auth)
    assert created.status_code == 201, created.json()
    reference = created.json()["booking_reference"]
    status_url = f"/api/bookings/{reference}/status/"
    provider_auth = bearer(service.provider.user)

    confirmed = send(client, "post", status_url, {"status": "CONFIRMED"}, **provider_auth)
    started = send(client, "post", status_url, {"status": "IN_PROGRESS"}, **provider_auth)
    completed = send(client, "post", status_url, {"status": "COMPLETED"}, **provider_auth)
    reviewed = send(client, "post", CREATE, {"booking": reference, **answers()}, **customer_auth)

    assert confirmed.status_code == 200
    assert assert_error(started, 409)["detail"] == (
        # After the clocks change on 8 March: Central Daylight Time.
        "This job can be started from Wed 11 Mar 2026, 09:00 CDT."
    )
    assert assert_error(completed, 409)["detail"] == (
        "A confirmed booking can't be marked completed."
    )
    assert assert_error(reviewed, 409)["detail"] == (
        "This booking is confirmed; you can review it once the job is completed."
    )
    detail = client.get(f"/api/bookings/{reference}/", **provider_auth).json()
    assert detail["status"] == "CONFIRMED"
    assert [entry["to_status"] for entry in detail["history"]] == ["PENDING", "CONFIRMED"]

    # An admin marks it done anyway, saying why: the record says so, the review is refused.
    admin_auth = bearer(AdminFactory())
    for status in ("IN_PROGRESS", "COMPLETED"):
        overridden = send(
            client,
            "post",
            status_url,
            {"status": status, "notes": "The provider says it was done already."},
            **admin_auth,
        )
        assert overridden.status_code == 200, overridden.json()
    reviewed_after_override = send(
        client, "post", CREATE, {"booking": reference, **answers()}, **customer_auth
    )

    assert overridden.json()["status"] == BookingStatus.COMPLETED
    assert assert_error(reviewed_after_override, 409)["detail"] == NOT_WORK_DONE
    assert not Review.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_site_says_a_job_marked_done_before_its_start_cannot_be_reviewed(client, now, method):
    starts_at = timezone.now() - timedelta(days=3)
    booking = completed_booking(starts_at=starts_at, status_changed_at=starts_at - timedelta(1))
    client.force_login(booking.customer)
    form = reverse("reviews:write", args=[booking.booking_reference])

    response = getattr(client, method)(form, answers() if method == "post" else None, follow=True)

    page = response.content.decode().replace("&#x27;", "'")
    assert NOT_WORK_DONE in page
    assert "once it is completed" not in page
