"""The two nights a year the clocks change, in America/Chicago: jobs last their real minutes,
times that never happen are refused, and a time that happens twice can be chosen.

Spring forward: Sunday 8 March 2026, 02:00 CST becomes 03:00 CDT (02:00-02:59 never happen).
Fall back: Sunday 1 November 2026, 02:00 CDT becomes 01:00 CST (01:00-01:59 happen twice).
"""

import html
import re
from datetime import UTC, datetime, time, timedelta

import pytest
from django.urls import reverse

from accounts.tests.factories import CustomerFactory
from booking import selectors, services
from booking.models import Booking
from booking.services import BookingError, SlotTaken
from tests.api_client import assert_error, bearer, send

from .api_helpers import slots_url
from .factories import CHICAGO, bookable_service, booking_input, local

pytestmark = pytest.mark.django_db

SUNDAY = 6
SPRING = (2026, 3, 8)
FALL = (2026, 11, 1)
CREATE = "/api/bookings/create/"


def night_service(time_machine, night, **kwargs):
    """Open on Sunday nights 00:00-06:00 in Chicago; the clock set to the Friday before."""
    friday = local(*night) - timedelta(days=2)
    time_machine.move_to(friday, tick=False)
    kwargs.setdefault("duration_minutes", 120)
    return bookable_service(hours=[(SUNDAY, time(0), time(6))], **kwargs)


def real_minutes(booking):
    return (booking.ends_at - booking.starts_at).total_seconds() / 60


def payload(service, **fields):
    return {
        "service": service.pk,
        "service_address": "12 Elm Street",
        "service_city": service.provider.cities.first().slug,
        "service_postal_code": "60601",
    } | fields


def test_a_two_hour_job_on_the_spring_forward_night_lasts_two_real_hours(time_machine):
    service = night_service(time_machine, SPRING)

    booking = services.create_booking(**booking_input(service, local(*SPRING, 1)))

    assert real_minutes(booking) == 120
    assert booking.local_ends_at.isoformat() == "2026-03-08T04:00:00-05:00"
    # 03:00 CDT is an hour into that job in real time: no second booking there.
    with pytest.raises(SlotTaken):
        services.create_booking(**booking_input(service, local(*SPRING, 3)))
    assert Booking.objects.count() == 1


def test_a_two_hour_job_on_the_fall_back_night_blocks_two_real_hours(time_machine):
    service = night_service(time_machine, FALL)

    booking = services.create_booking(**booking_input(service, local(*FALL, 0)))

    assert real_minutes(booking) == 120
    assert booking.local_ends_at.isoformat() == "2026-11-01T01:00:00-06:00"
    # The second 01:00 (CST) is free: the job ended then.
    later = services.create_booking(
        **booking_input(service, datetime(2026, 11, 1, 7, tzinfo=UTC).astimezone(CHICAGO))
    )
    assert later.local_starts_at.isoformat() == "2026-11-01T01:00:00-06:00"


def test_slots_skip_the_hour_that_does_not_exist_and_the_day_is_shorter(time_machine):
    service = night_service(time_machine, SPRING, duration_minutes=60)

    slots = selectors.free_slots(service=service, date=datetime(*SPRING).date())

    readings = [slot.strftime("%H:%M") for slot in slots]
    before = ["00:00", "00:30", "01:00", "01:30"]
    after = ["03:00", "03:30", "04:00", "04:30", "05:00"]
    assert readings == before + after  # five real hours between 00:00 and 06:00
    assert "02:00" not in readings and "02:30" not in readings
    assert all(slot.utcoffset() == timedelta(hours=-5) for slot in slots[4:])


@pytest.mark.parametrize("minute", [0, 30])
def test_a_time_in_the_spring_forward_gap_is_refused_naming_starts_at(time_machine, minute):
    service = night_service(time_machine, SPRING, duration_minutes=60)

    with pytest.raises(BookingError) as refused:
        selectors.starts_at_for(
            service=service, scheduled_date=datetime(*SPRING).date(), scheduled_time=time(2, minute)
        )

    assert refused.value.field == "starts_at"
    assert f"02:{minute:02d} on Sun 8 Mar 2026 doesn't exist" in refused.value.message
    assert "from 02:00 to 03:00" in refused.value.message


def test_the_api_refuses_a_time_in_the_gap_with_a_400_not_a_500(client, time_machine):
    service = night_service(time_machine, SPRING, duration_minutes=60)
    customer = CustomerFactory()

    response = send(
        client,
        "post",
        CREATE,
        payload(service, scheduled_date="2026-03-08", scheduled_time="02:30"),
        **bearer(customer),
    )

    body = assert_error(response, 400)
    assert "doesn't exist" in body["errors"]["starts_at"][0]
    assert not Booking.objects.exists()


def test_the_slots_api_lists_the_repeated_hour_twice_with_its_two_offsets(client, time_machine):
    service = night_service(time_machine, FALL, duration_minutes=60)

    response = client.get(slots_url(service), {"date": "2026-11-01"})

    starts = [slot["starts_at"] for slot in response.json()["slots"]]
    assert starts[:6] == [
        "2026-11-01T00:00:00-05:00",
        "2026-11-01T00:30:00-05:00",
        "2026-11-01T01:00:00-05:00",
        "2026-11-01T01:30:00-05:00",
        "2026-11-01T01:00:00-06:00",
        "2026-11-01T01:30:00-06:00",
    ]


def test_a_client_books_the_second_pass_of_the_repeated_hour_with_starts_at(client, time_machine):
    service = night_service(time_machine, FALL, duration_minutes=60)
    auth = bearer(CustomerFactory())

    second = send(
        client, "post", CREATE, payload(service, starts_at="2026-11-01T01:00:00-06:00"), **auth
    )
    both = send(
        client,
        "post",
        CREATE,
        payload(
            service,
            scheduled_date="2026-11-01",
            scheduled_time="01:00",
            starts_at="2026-11-01T01:00:00-05:00",
        ),
        **auth,
    )

    assert second.status_code == 201, second.json()
    assert second.json()["starts_at"] == "2026-11-01T01:00:00-06:00"
    assert both.status_code == 201, both.json()
    assert both.json()["starts_at"] == "2026-11-01T01:00:00-05:00"


def test_a_local_time_alone_means_the_first_pass_of_the_repeated_hour(client, time_machine):
    service = night_service(time_machine, FALL, duration_minutes=60)

    response = send(
        client,
        "post",
        CREATE,
        payload(service, scheduled_date="2026-11-01", scheduled_time="01:30"),
        **bearer(CustomerFactory()),
    )

    assert response.status_code == 201, response.json()
    assert response.json()["starts_at"] == "2026-11-01T01:30:00-05:00"


@pytest.mark.parametrize(
    "fields, field, words",
    [
        (
            {
                "scheduled_date": "2026-11-01",
                "scheduled_time": "01:30",
                "starts_at": "2026-11-01T03:30:00-06:00",
            },
            "starts_at",
            "not the scheduled_date and scheduled_time sent",
        ),
        ({"starts_at": "2026-11-01T01:30:00"}, "starts_at", "Give the UTC offset too"),
        ({"scheduled_date": "2026-11-01"}, "scheduled_time", "or starts_at"),
        ({}, "scheduled_date", "or starts_at"),
    ],
    ids=["disagreeing", "no offset", "time missing", "nothing"],
)
def test_a_start_that_is_unclear_is_a_400_naming_the_field(
    client, time_machine, fields, field, words
):
    service = night_service(time_machine, FALL, duration_minutes=60)

    response = send(client, "post", CREATE, payload(service, **fields), **bearer(CustomerFactory()))

    body = assert_error(response, 400)
    assert words in " ".join(body["errors"][field])
    assert not Booking.objects.exists()


def test_starts_at_in_any_offset_is_the_same_instant(client, time_machine):
    service = night_service(time_machine, FALL, duration_minutes=60)

    response = send(
        client,
        "post",
        CREATE,
        payload(service, starts_at="2026-11-01T07:00:00Z"),
        **bearer(CustomerFactory()),
    )

    assert response.status_code == 201, response.json()
    assert response.json()["starts_at"] == "2026-11-01T01:00:00-06:00"
    assert response.json()["scheduled_time"] == "01:00"


# --- The site --------------------------------------------------------------------------------


def _slot_links(body):
    """(label, href) of each time button on the time step."""
    return re.findall(r'<a class="slot[^"]*" href="([^"]+)"[^>]*>([^<]+)</a>', body)


def _details(service):
    return {
        "service_address": "12 Elm Street",
        "service_city": service.provider.cities.first().pk,
        "service_postal_code": "60601",
        "estimated_duration_minutes": service.duration_minutes,
    }


def test_the_time_step_shows_the_zone_of_each_pass_of_the_repeated_hour(client, time_machine):
    service = night_service(time_machine, FALL, duration_minutes=60)

    body = client.get(
        reverse("booking:book_time", args=[service.pk]), {"date": "2026-11-01"}
    ).content.decode()

    labels = [label for _, label in _slot_links(body)]
    assert labels[:6] == ["00:00", "00:30", "01:00 CDT", "01:30 CDT", "01:00 CST", "01:30 CST"]
    assert "The clocks go back at 02:00 this night" in body


def test_the_spring_forward_day_says_the_missing_hour_does_not_exist(client, time_machine):
    service = night_service(time_machine, SPRING, duration_minutes=60)

    body = client.get(
        reverse("booking:book_time", args=[service.pk]), {"date": "2026-03-08"}
    ).content.decode()

    assert [label for _, label in _slot_links(body)][3:5] == ["01:30", "03:00"]
    assert "02:00 to 03:00 does not exist" in body


def test_a_customer_books_the_second_01_00_from_its_button(client, time_machine):
    service = night_service(time_machine, FALL, duration_minutes=60)
    client.force_login(CustomerFactory())
    body = client.get(
        reverse("booking:book_time", args=[service.pk]), {"date": "2026-11-01"}
    ).content.decode()
    second = dict((label, href) for href, label in _slot_links(body))["01:00 CST"]

    client.get(second.replace("&amp;", "&"))
    review = client.post(reverse("booking:book_details", args=[service.pk]), _details(service))
    client.post(reverse("booking:book_review", args=[service.pk]))

    assert "01:00 CST" in review.content.decode()
    booking = Booking.objects.get()
    assert booking.local_starts_at.isoformat() == "2026-11-01T01:00:00-06:00"


def test_a_time_in_the_gap_typed_into_the_address_is_explained_not_a_500(client, time_machine):
    service = night_service(time_machine, SPRING, duration_minutes=60)
    client.force_login(CustomerFactory())

    response = client.get(
        reverse("booking:book_details", args=[service.pk]),
        {"date": "2026-03-08", "time": "02:30"},
        follow=True,
    )

    assert response.status_code == 200
    assert "02:30 on Sun 8 Mar 2026 doesn't exist" in html.unescape(response.content.decode())
