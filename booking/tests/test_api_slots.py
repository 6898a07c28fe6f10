"""GET /api/services/{id}/slots/: the free local start times of a service on a date."""

import pytest

from accounts.models import VerificationStatus
from accounts.tests.factories import ProviderFactory
from booking import services
from catalog.services import set_service_active
from tests.api_client import assert_error

from .api_helpers import slots_url, times
from .factories import bookable_service, booking_input, local

pytestmark = pytest.mark.django_db


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
