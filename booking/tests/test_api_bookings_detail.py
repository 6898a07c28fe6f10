"""GET /api/bookings/{reference}/: one booking, its history and what the caller may do with it."""

import pytest

from accounts.tests.factories import AdminFactory, CustomerFactory, ProviderFactory
from booking import services
from tests.api_client import assert_error, bearer

from .api_helpers import booking_url
from .factories import local
from .helpers import S

pytestmark = pytest.mark.django_db


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
    # The job is tomorrow: the provider can start it only from an hour before.
    assert as_provider["allowed_actions"] == {"status": ["CANCELLED"], "reschedule": True}
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
