"""Every fragment an HTMX swap returns renders exactly as the same region of the full page,
for a provider in Chicago while the site runs in UTC: the times never slip by six hours.

The `now` fixture is Monday 2 March 2026, 07:00 CST (13:00 UTC).
"""

import re
from datetime import time

import pytest
from django.urls import reverse

from booking import services
from booking.models import BookingStatus
from tests.html_regions import region

from .factories import BookingFactory, bookable_service, booking_input, local

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
DASHBOARD = "/dashboard/bookings/"


@pytest.fixture
def service(now, settings):
    assert settings.TIME_ZONE == "UTC"  # the site's zone differs from the provider's
    return bookable_service(
        title="Leak repair", hours=[(day, time(8), time(18)) for day in range(7)]
    )


@pytest.fixture
def provider(client, service):
    client.force_login(service.provider.user)
    return service.provider.user


def same(html):
    """`html` with its layout whitespace and per-request CSRF tokens evened out."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', html)
    return " ".join(html.split()).replace("> <", "><")


def without_answer_buttons(row):
    """A request's row minus what answering changes: its status badge and its buttons."""
    row = re.sub(r'<span class="badge[^"]*">[^<]*</span>', "", row)
    return re.sub(r'<div class="row-actions">.*?</div>\s*', "", row, flags=re.S)


def test_the_answered_request_row_reads_as_the_page_did_in_the_providers_zone(
    client, service, provider
):
    booking = services.create_booking(**booking_input(service, local(2026, 3, 2, 8)))
    row_id = f"request-{booking.pk}"
    page = client.get(DASHBOARD).content.decode()

    response = client.post(
        reverse("booking:change_status", args=[booking.booking_reference]),
        {"status": "CONFIRMED", "row": "1", "next": DASHBOARD},
        **HTMX,
    )

    swapped = response.content.decode()
    assert "Mon 2 Mar, 08:00" in region(page, row_id)  # 08:00 in Chicago, not 14:00 UTC
    assert same(without_answer_buttons(region(swapped, row_id))) == same(
        without_answer_buttons(region(page, row_id))
    )
    assert "Confirmed" in region(swapped, row_id)


def test_the_heading_count_follows_the_answer_out_of_band(client, service, provider):
    first = services.create_booking(**booking_input(service, local(2026, 3, 2, 8)))
    services.create_booking(**booking_input(service, local(2026, 3, 3, 10)))
    before = client.get(DASHBOARD).content.decode()

    response = client.post(
        reverse("booking:change_status", args=[first.booking_reference]),
        {"status": "REJECTED", "row": "1", "next": DASHBOARD},
        **HTMX,
    )
    after = client.get(DASHBOARD).content.decode()

    heading = region(response.content.decode(), "requests-title")
    assert "Requests waiting for you (2)" in region(before, "requests-title")
    assert 'hx-swap-oob="true"' in heading
    assert heading.replace(' hx-swap-oob="true"', "") == region(after, "requests-title")
    assert "(1)" in heading


def test_the_agenda_reloaded_after_an_answer_is_the_pages_agenda(client, service, provider):
    booking = services.create_booking(**booking_input(service, local(2026, 3, 2, 9)))
    answered = client.post(
        reverse("booking:change_status", args=[booking.booking_reference]),
        {"status": "CONFIRMED", "row": "1", "next": DASHBOARD},
        **HTMX,
    )

    # The agenda listens for this event and fetches itself.
    assert answered["HX-Trigger"] == "booking-changed"
    fragment = client.get(DASHBOARD, HTTP_HX_TARGET="agenda", **HTMX).content.decode()
    page = client.get(DASHBOARD).content.decode()

    assert same(fragment) == same(region(page, "agenda"))
    assert "Mon 09:00–10:00" in fragment and "Leak repair" in fragment


@pytest.mark.parametrize("week", [False, True], ids=["today", "week"])
def test_the_agenda_fragment_is_the_pages_agenda(client, service, provider, week):
    BookingFactory(
        service=service, status=BookingStatus.CONFIRMED, starts_at=local(2026, 3, 2, 17, 30)
    )
    url = DASHBOARD + ("?agenda=week" if week else "")

    fragment = client.get(url, HTTP_HX_TARGET="agenda", **HTMX).content.decode()
    page = client.get(url).content.decode()

    # 17:30 in Chicago is 23:30 UTC: still Monday on the provider's clock.
    assert "Mon 17:30–18:30" in fragment
    assert same(fragment) == same(region(page, "agenda"))


@pytest.mark.parametrize(
    "step, query",
    [
        ("book_date", {}),
        ("book_time", {"date": "2026-03-03"}),
        ("book_details", {"date": "2026-03-03", "time": "08:00", "offset": "-0600"}),
    ],
)
def test_each_booking_step_fragment_is_the_pages_step(client, service, step, query, customer):
    client.force_login(customer)
    url = reverse(f"booking:{step}", args=[service.pk])

    fragment = client.get(url, query, **HTMX).content.decode()
    page = client.get(url, query).content.decode()

    assert same(fragment) == same(region(page, "booking-step"))
    if step == "book_time":
        assert re.search(r">08:00</a>", fragment)  # the first slot: 08:00 in Chicago
    if step == "book_details":
        assert "08:00" in fragment
