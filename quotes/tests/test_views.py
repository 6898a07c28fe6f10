from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from booking import selectors as booking_selectors
from booking.models import Booking
from booking.tests.factories import bookable_service
from quotes.models import QuoteRequest, QuoteStatus

from .factories import quotable_service, quote_terms, quoted, requested

pytestmark = pytest.mark.django_db


def free_slot(quote_request):
    day = timezone.localdate() + timedelta(days=1)
    for offset in range(14):
        slots = booking_selectors.free_slots(
            service=quote_request.service,
            date=day + timedelta(days=offset),
            duration_minutes=quote_request.duration_minutes,
        )
        if slots:
            return slots[0]
    raise AssertionError("no free slot")


def test_a_price_on_quote_service_page_offers_a_quote_request_not_booking(client):
    service = quotable_service()
    page = client.get(service.get_absolute_url()).content.decode()

    assert reverse("quotes:request", args=[service.pk]) in page
    assert "Price on quote" in page
    assert reverse("booking:book_date", args=[service.pk]) not in page


def test_a_priced_service_offering_quotes_offers_both(client):
    service = quotable_service(quote_only=False)
    page = client.get(service.get_absolute_url()).content.decode()

    assert reverse("quotes:request", args=[service.pk]) in page
    assert reverse("booking:book_date", args=[service.pk]) in page


def test_the_booking_steps_send_a_quote_only_service_back_with_a_message(client):
    service = quotable_service()
    response = client.get(reverse("booking:book_date", args=[service.pk]), follow=True)

    assert response.redirect_chain[0][0].startswith(service.get_absolute_url())
    assert "priced on quote" in response.content.decode()


def test_a_customer_sends_a_request_from_the_form(client):
    service = quotable_service()
    customer = requested(service=service).customer  # any customer account
    client.force_login(customer)
    city = service.provider.cities.first()

    response = client.post(
        reverse("quotes:request", args=[service.pk]),
        {"description": "Fix the roof", "city": city.pk, "preferred_times": "Mornings"},
    )

    made = QuoteRequest.objects.filter(customer=customer).latest("created_at")
    assert response.status_code == 302
    assert response["Location"] == made.get_absolute_url()
    assert made.description == "Fix the roof"


def test_an_empty_request_re_renders_with_its_error(client):
    service = quotable_service()
    client.force_login(requested(service=service).customer)

    response = client.post(reverse("quotes:request", args=[service.pk]), {})

    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_a_service_without_quotes_has_no_request_page(client):
    service = bookable_service()
    client.force_login(requested().customer)
    assert client.get(reverse("quotes:request", args=[service.pk])).status_code == 404


def test_the_provider_quotes_from_the_request_page(client):
    quote_request = requested()
    client.force_login(quote_request.provider.user)
    terms = quote_terms()

    response = client.post(
        reverse("quotes:send", args=[quote_request.reference]),
        {**terms, "valid_until": terms["valid_until"].isoformat()},
    )

    assert response.status_code == 302
    quote_request.refresh_from_db()
    assert quote_request.status == QuoteStatus.QUOTED
    page = client.get(quote_request.get_absolute_url()).content.decode()
    assert "$240" in page
    assert "Change your quote" in page


def test_a_bad_quote_re_renders_the_page_with_the_reason(client):
    quote_request = requested()
    client.force_login(quote_request.provider.user)
    terms = quote_terms(duration_minutes=50)

    response = client.post(
        reverse("quotes:send", args=[quote_request.reference]),
        {**terms, "valid_until": terms["valid_until"].isoformat()},
    )

    assert response.status_code == 400
    assert "steps of 15 minutes" in response.content.decode()


def test_the_customer_accepts_at_a_free_time_and_lands_on_the_booking(client):
    quote_request = quoted()
    client.force_login(quote_request.customer)
    slot = free_slot(quote_request)
    day = slot.astimezone(booking_selectors.schedule_for(quote_request.provider).zone).date()

    page = client.get(
        reverse("quotes:accept", args=[quote_request.reference]), {"date": day.isoformat()}
    )
    assert page.status_code == 200
    response = client.post(
        reverse("quotes:accept", args=[quote_request.reference]),
        {
            "starts_at": slot.isoformat(),
            "service_address": "1 Main Street",
            "service_postal_code": "78701",
        },
    )

    booking = Booking.objects.get(quote_reference=quote_request.reference)
    assert response["Location"] == booking.get_absolute_url()
    booking_page = client.get(booking.get_absolute_url()).content.decode()
    assert f"the price of quote {quote_request.reference}" in booking_page
    # Again (a second tab): back to the same booking, no second one.
    again = client.post(
        reverse("quotes:accept", args=[quote_request.reference]),
        {"starts_at": slot.isoformat(), "service_address": "x", "service_postal_code": "1"},
    )
    assert again["Location"] == booking.get_absolute_url()
    assert Booking.objects.filter(quote_reference=quote_request.reference).count() == 1


def test_lists_show_each_side_their_own_in_constant_queries(client, django_assert_num_queries):
    first = quoted()
    for _ in range(3):
        requested(service=first.service)
    requested()  # someone else's
    client.force_login(first.provider.user)
    url = reverse("quotes:provider_requests")
    client.get(url)  # warm the session and the user

    with CaptureQueriesContext(connection) as four:
        response = client.get(url)
    assert response.content.decode().count('class="card quote-row"') == 4
    for _ in range(5):
        requested(service=first.service)
    # The list is one query with its related rows, however long; the rest is the shell's.
    assert sum("quotes_quoterequest" in q["sql"] for q in four.captured_queries) == 1
    with django_assert_num_queries(len(four)):
        response = client.get(url)

    assert response.content.decode().count('class="card quote-row"') == 9


def test_my_quotes_lists_the_customers_requests_and_filters_by_status(client):
    open_one = quoted()
    closed = requested(customer=open_one.customer)
    closed.status = QuoteStatus.DECLINED
    closed.save()
    client.force_login(open_one.customer)

    everything = client.get(reverse("quotes:my_quotes")).content.decode()
    only_quoted = client.get(reverse("quotes:my_quotes"), {"status": "QUOTED"}).content.decode()

    assert open_one.reference in everything and closed.reference in everything
    assert open_one.reference in only_quoted and closed.reference not in only_quoted
