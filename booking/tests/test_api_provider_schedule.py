"""A provider's schedule through the API: weekly hours, time off, booking rules, figures."""

from datetime import date

import pytest

from accounts.tests.factories import CustomerFactory, ProviderFactory
from booking.models import ProviderSchedule, TimeOff, WeeklyAvailability
from tests.api_client import assert_error, bearer, send

from .factories import BookingFactory, local
from .helpers import S

pytestmark = pytest.mark.django_db

HOURS = "/api/me/availability/"
INTERVALS = "/api/me/availability/intervals/"
TIME_OFF = "/api/me/time-off/"
RULES = "/api/me/booking-rules/"
DASHBOARD = "/api/me/dashboard/"


@pytest.fixture
def provider_auth(service):
    return bearer(service.provider.user)


def intervals(response):
    return [(i["weekday"], i["start_time"], i["end_time"]) for i in response.json()["intervals"]]


def test_weekly_hours_are_read_replaced_added_to_and_removed_from(client, service, provider_auth):
    read = client.get(HOURS, **provider_auth)
    replaced = send(
        client,
        "put",
        HOURS,
        {"intervals": [{"weekday": 0, "start_time": "09:00", "end_time": "12:00"}]},
        **provider_auth,
    )
    added = send(
        client,
        "post",
        INTERVALS,
        {"weekday": 0, "start_time": "13:00", "end_time": "17:00"},
        **provider_auth,
    )
    first_id = added.json()["intervals"][0]["id"]
    removed = client.delete(f"{INTERVALS}{first_id}/", **provider_auth)

    assert read.json()["time_zone"] == "America/Chicago"
    assert intervals(read)[0] == (0, "09:00", "17:00") and len(intervals(read)) == 5
    assert intervals(replaced) == [(0, "09:00", "12:00")]
    assert added.status_code == 201
    assert intervals(added) == [(0, "09:00", "12:00"), (0, "13:00", "17:00")]
    assert intervals(removed) == [(0, "13:00", "17:00")]


def test_overlapping_hours_are_a_400_and_change_nothing(client, service, provider_auth):
    response = send(
        client,
        "post",
        INTERVALS,
        {"weekday": 0, "start_time": "10:00", "end_time": "11:00"},
        **provider_auth,
    )

    assert "overlaps" in assert_error(response, 400)["errors"]["intervals"][0]
    assert WeeklyAvailability.objects.filter(provider=service.provider).count() == 5


def test_another_providers_interval_is_not_found(client, service):
    theirs = WeeklyAvailability.objects.filter(provider=service.provider).first()

    response = client.delete(f"{INTERVALS}{theirs.pk}/", **bearer(ProviderFactory()))

    assert_error(response, 404)
    assert WeeklyAvailability.objects.filter(pk=theirs.pk).exists()


def test_time_off_is_listed_added_and_cancelled(client, now, service, provider_auth):
    created = send(
        client,
        "post",
        TIME_OFF,
        {"start_date": "2026-03-23", "end_date": "2026-03-27", "reason": "Holiday"},
        **provider_auth,
    )
    listed = client.get(TIME_OFF, **provider_auth).json()
    cancelled = client.delete(f"{TIME_OFF}{created.json()['id']}/", **provider_auth)

    assert created.status_code == 201
    assert listed["results"] == [created.json()]
    assert created.json() | {"id": 0} == {
        "id": 0,
        "start_date": "2026-03-23",
        "end_date": "2026-03-27",
        "reason": "Holiday",
    }
    assert cancelled.status_code == 204
    assert not TimeOff.objects.exists()


def test_time_off_ending_before_it_starts_is_a_400(client, now, service, provider_auth):
    response = send(
        client,
        "post",
        TIME_OFF,
        {"start_date": "2026-03-27", "end_date": "2026-03-23"},
        **provider_auth,
    )

    assert list(assert_error(response, 400)["errors"]) == ["end_date"]


def test_another_providers_time_off_is_not_found(client, now, service):
    theirs = TimeOff.objects.create(
        provider=service.provider, start_date=date(2026, 4, 1), end_date=date(2026, 4, 2)
    )

    response = client.delete(f"{TIME_OFF}{theirs.pk}/", **bearer(ProviderFactory()))

    assert_error(response, 404)
    assert TimeOff.objects.filter(pk=theirs.pk).exists()


def test_booking_rules_are_read_and_replaced(client, service, provider_auth):
    rules = {
        "time_zone": "America/Denver",
        "buffer_minutes": 15,
        "min_notice_hours": 12,
        "max_advance_days": 30,
        "cancellation_free_hours": 48,
        "pending_expiry_hours": 24,
    }

    replaced = send(client, "put", RULES, rules, **provider_auth)
    read = client.get(RULES, **provider_auth)

    assert replaced.json() == read.json() == rules
    assert ProviderSchedule.objects.get(provider=service.provider).buffer_minutes == 15


def test_an_unknown_time_zone_is_a_400_naming_it(client, service, provider_auth):
    rules = client.get(RULES, **provider_auth).json() | {"time_zone": "Mars/Olympus"}

    response = send(client, "put", RULES, rules, **provider_auth)

    assert list(assert_error(response, 400)["errors"]) == ["time_zone"]


def test_the_dashboard_figures(client, now, service, provider_auth, customer):
    BookingFactory(service=service, customer=customer, starts_at=local(2026, 3, 3, 10))
    BookingFactory(
        service=service, customer=customer, status=S.CONFIRMED, starts_at=local(2026, 3, 2, 15)
    )

    body = client.get(DASHBOARD, **provider_auth).json()

    assert (body["pending_requests"], body["jobs_today"], body["upcoming_jobs"]) == (1, 1, 1)
    assert (body["listed_services"], body["paused_services"]) == (1, 0)
    assert body["time_zone"] == "America/Chicago"


@pytest.mark.parametrize("path", [HOURS, TIME_OFF, RULES, DASHBOARD])
def test_customers_have_no_schedule(client, path):
    assert_error(client.get(path, **bearer(CustomerFactory())), 403)


@pytest.mark.parametrize(
    ("path", "method", "body", "field"),
    [
        (
            INTERVALS,
            "post",
            {"weekday": "0", "start_time": "09:00", "end_time": "10:00"},
            "weekday",
        ),
        (TIME_OFF, "post", {"start_date": 0, "end_date": "2026-03-27"}, "start_date"),
    ],
)
def test_a_number_or_date_of_the_wrong_type_is_a_400(
    client, now, service, provider_auth, path, method, body, field
):
    response = send(client, method, path, body, **provider_auth)

    assert field in assert_error(response, 400)["errors"]
