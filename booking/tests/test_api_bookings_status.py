"""POST /api/bookings/{reference}/status/: who may move a booking on, when, and each refusal."""

import pytest

from accounts.tests.factories import CustomerFactory, ProviderFactory
from booking.models import Booking, BookingStatusHistory
from catalog.models import Service
from tests.api_client import assert_error, bearer, send

from .api_helpers import booking_url, slots_url, times
from .factories import BookingFactory, local
from .helpers import TUESDAY_10, S

pytestmark = pytest.mark.django_db


def status_url(booking_or_reference):
    return f"{booking_url(booking_or_reference)}status/"


def snapshot(booking):
    """Everything a status change could alter."""
    row = Booking.objects.values().get(pk=booking.pk)
    return row, BookingStatusHistory.objects.filter(booking_id=booking.pk).count()


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
    # A day ahead the job cannot be started yet: only cancelling is offered.
    assert confirmed.json()["allowed_actions"] == {"status": ["CANCELLED"], "reschedule": True}
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
