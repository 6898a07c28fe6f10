"""Weekly hours as time inputs per day, rows added and removed, Monday copied (#21): each
works as a plain form and as an HTMX swap of the same form; nothing is saved until "Save"."""

import re
from datetime import time

import pytest
from django.urls import reverse

from accounts.tests.factories import CityFactory
from booking.models import WeeklyAvailability

from .factories import bookable_service

pytestmark = pytest.mark.django_db

URL = reverse("booking:availability")


@pytest.fixture
def provider(client):
    service = bookable_service(hours=[(0, time(8), time(12)), (0, time(13), time(17))])
    client.force_login(service.provider.user)
    return service.provider


def _hours(provider):
    return list(
        provider.weekly_availability.order_by("weekday", "start_time").values_list(
            "weekday", "start_time", "end_time"
        )
    )


def _values(body: str, day: int, end: str) -> list[str]:
    return re.findall(rf'name="hours-{day}-{end}" value="([^"]*)"', body)


def test_each_day_shows_its_intervals_as_time_inputs_and_empty_rows(client, provider):
    body = client.get(URL).content.decode()

    assert _values(body, 0, "start") == ["08:00", "13:00", ""]
    assert _values(body, 0, "end") == ["12:00", "17:00", ""]
    assert _values(body, 6, "start") == ["", ""]  # a closed day: two rows to fill in
    assert 'type="time"' in body
    assert '<label for="hours-0-0-start">From' in body


def test_saving_rows_replaces_the_hours(client, provider):
    response = client.post(
        URL,
        {
            "form": "hours",
            "action": "save",
            "hours-1-start": ["09:00", ""],
            "hours-1-end": ["17:00", ""],
            "hours-5-start": "10:00:00",
            "hours-5-end": "14:00:00",
        },
    )

    assert response.status_code == 302
    assert _hours(provider) == [(1, time(9), time(17)), (5, time(10), time(14))]


@pytest.mark.parametrize(
    ("starts", "ends", "message"),
    [
        (["09:00", "11:00"], ["12:00", "13:00"], "Monday: 09:00–12:00 overlaps 11:00–13:00."),
        (["17:00"], ["09:00"], "Monday: 17:00–09:00 must end after it starts."),
        (["09:00"], [""], "Give both a start and an end time"),
    ],
)
def test_a_bad_interval_is_refused_with_a_message_on_its_row(
    client, provider, starts, ends, message
):
    before = _hours(provider)

    response = client.post(
        URL, {"form": "hours", "action": "save", "hours-0-start": starts, "hours-0-end": ends}
    )

    body = response.content.decode()
    assert response.status_code == 400
    row = len(starts) - 1
    error = re.search(rf'<p class="errorlist hours-error" id="hours-0-{row}-error">([^<]*)', body)
    assert error and message in error.group(1)
    assert f'aria-describedby="hours-0-{row}-error"' in body
    assert "Nothing was saved." in body
    assert _hours(provider) == before


def test_add_an_interval_gives_the_day_one_more_row_and_saves_nothing(client, provider):
    before = _hours(provider)
    posted = {"form": "hours", "action": "add-0"}
    posted |= {"hours-0-start": ["08:00", "13:00"], "hours-0-end": ["12:00", "17:00"]}

    plain = client.post(URL, posted)
    swapped = client.post(URL, posted, HTTP_HX_REQUEST="true")

    assert plain.status_code == 200 and "<html" in plain.content.decode()
    assert _values(plain.content.decode(), 0, "start") == ["08:00", "13:00", "", ""]
    assert swapped.content.decode().lstrip().startswith('<form id="hours-form"')
    assert _values(swapped.content.decode(), 0, "start") == ["08:00", "13:00", "", ""]
    assert _hours(provider) == before


def test_remove_takes_the_row_out_of_the_form(client, provider):
    response = client.post(
        URL,
        {
            "form": "hours",
            "action": "remove-0-0",
            "hours-0-start": ["08:00", "13:00"],
            "hours-0-end": ["12:00", "17:00"],
        },
        HTTP_HX_REQUEST="true",
    )

    assert _values(response.content.decode(), 0, "start") == ["13:00", ""]
    assert WeeklyAvailability.objects.filter(provider=provider).count() == 2  # not saved yet


def test_copy_monday_fills_tuesday_to_friday_and_leaves_the_weekend(client, provider):
    response = client.post(
        URL,
        {
            "form": "hours",
            "action": "copy-monday",
            "hours-0-start": ["08:00", "13:00"],
            "hours-0-end": ["12:00", "17:00"],
            "hours-5-start": "10:00",
            "hours-5-end": "12:00",
        },
    )

    body = response.content.decode()
    for day in range(1, 5):
        assert _values(body, day, "start") == ["08:00", "13:00", ""]
    assert _values(body, 5, "start") == ["10:00", ""]
    assert "Save to keep them." in body


def test_the_time_zone_is_a_select_by_region_with_the_cities_zones_first(client, provider):
    provider.cities.add(CityFactory(time_zone="Europe/Lisbon"))

    body = client.get(URL).content.decode()

    select = re.search(r'<select name="settings-time_zone".*?</select>', body, re.S).group(0)
    groups = re.findall(r'<optgroup label="([^"]+)"', select)
    assert groups[0] == "Your cities" and {"America", "Europe", "Asia"} <= set(groups)
    first = re.search(r'<optgroup label="Your cities">(.*?)</optgroup>', select, re.S).group(1)
    assert 'value="America/Chicago"' in first and 'value="Europe/Lisbon"' in first
    assert re.search(r'<option value="America/Chicago" selected>', select)


def test_a_new_provider_schedule_defaults_to_their_city_zone(client):
    from accounts.tests.factories import ProviderFactory

    user = ProviderFactory()
    user.provider_profile.cities.add(CityFactory(time_zone="Asia/Tokyo"))
    client.force_login(user)

    body = client.get(URL).content.decode()

    assert re.search(r'<option value="Asia/Tokyo" selected>', body)


def test_an_unknown_time_zone_is_refused(client, provider):
    response = client.post(
        URL,
        {
            "form": "settings",
            "settings-time_zone": "Mars/Olympus",
            "settings-buffer_minutes": 0,
            "settings-min_notice_hours": 0,
            "settings-max_advance_days": 30,
            "settings-cancellation_free_hours": 24,
            "settings-pending_expiry_hours": 48,
        },
    )

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
