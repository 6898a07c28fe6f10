"""What the booking pages answer an HTMX request: fragments as the full page shows them, and
the headers that tell htmx (and caches) what to do."""

import re

import pytest
from django.urls import reverse

from booking import services
from booking.models import BookingStatus

from .factories import bookable_service, booking_input, local

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def service(now):
    # Chicago, so a time shown in UTC instead of the provider's zone would not pass unseen.
    return bookable_service(title="Leak repair", time_zone="America/Chicago")


def _row(body, booking):
    found = re.search(
        rf'<li class="card booking-row" id="request-{booking.pk}">.*?</li>', body, re.S
    )
    return found.group(0)


def test_an_answered_request_row_shows_its_time_as_the_dashboard_does(client, service):
    booking = services.create_booking(**booking_input(service, local(2026, 3, 3, 10)))
    client.force_login(service.provider.user)
    page = client.get(reverse("booking:provider_dashboard")).content.decode()

    response = client.post(
        reverse("booking:change_status", args=[booking.booking_reference]),
        {"status": BookingStatus.CONFIRMED, "row": "1"},
        **HTMX,
    )

    row = response.content.decode()
    assert "Tue 3 Mar, 10:00" in _row(page, booking)
    assert "Tue 3 Mar, 10:00" in row
    assert "Accept" not in row and "Decline" not in row  # answered: no more quick answers
    assert response["HX-Trigger"] == "booking-changed"


def test_the_agenda_fragment_shows_times_as_the_dashboard_does(client, service):
    booking = services.create_booking(**booking_input(service, local(2026, 3, 2, 14)))
    services.transition_booking(
        booking=booking, to_status=BookingStatus.CONFIRMED, by=service.provider.user
    )
    client.force_login(service.provider.user)

    page = client.get(reverse("booking:provider_dashboard")).content.decode()
    fragment = client.get(
        reverse("booking:provider_dashboard"), HTTP_HX_TARGET="agenda", **HTMX
    ).content.decode()

    assert "<html" not in fragment
    assert fragment.strip().startswith('<section id="agenda"')
    assert "Mon 14:00–15:00 Leak repair" in page
    assert "Mon 14:00–15:00 Leak repair" in fragment


def test_the_detail_page_asks_a_provider_why_they_cancel_a_confirmed_job(
    client, service, time_machine
):
    booking = services.create_booking(**booking_input(service, local(2026, 3, 3, 10)))
    services.transition_booking(
        booking=booking, to_status=BookingStatus.CONFIRMED, by=service.provider.user
    )

    client.force_login(booking.customer)
    as_customer = client.get(booking.get_absolute_url()).content.decode()
    time_machine.move_to(local(2026, 3, 3, 9, 30), tick=False)  # Start job is offered now
    client.force_login(service.provider.user)
    as_provider = client.get(booking.get_absolute_url()).content.decode()

    assert "Reason for cancelling (required)" in as_provider and "Start job" in as_provider
    assert "Reason for cancelling (optional)" in as_customer and "Start job" not in as_customer


def test_pages_that_answer_htmx_with_a_fragment_vary_on_it(client, service):
    steps = [
        reverse("booking:book_date", args=[service.pk]),
        reverse("booking:book_time", args=[service.pk]) + "?date=2026-03-03",
    ]
    for url in steps:  # browsed before signing in
        assert "HX-Request" in client.get(url)["Vary"], url

    client.force_login(service.provider.user)
    dashboard = reverse("booking:provider_dashboard")
    assert "HX-Request" in client.get(dashboard)["Vary"]


def test_a_request_sent_with_htmx_goes_to_the_booking_by_client_redirect(client, service):
    customer = booking_input(service, local(2026, 3, 3, 10))["customer"]
    client.force_login(customer)
    client.get(
        reverse("booking:book_details", args=[service.pk]), {"date": "2026-03-03", "time": "10:00"}
    )
    client.post(
        reverse("booking:book_details", args=[service.pk]),
        {
            "service_address": "12 Elm Street",
            "service_city": service.provider.cities.first().pk,
            "service_postal_code": "78701",
            "estimated_duration_minutes": service.duration_minutes,
        },
    )

    response = client.post(reverse("booking:book_review", args=[service.pk]), **HTMX)

    booking = customer.bookings.get()
    assert response.status_code == 204
    assert response["HX-Redirect"] == booking.get_absolute_url()
    assert "Location" not in response
