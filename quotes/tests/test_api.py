from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.tests.factories import CustomerFactory
from booking.models import Booking
from quotes.models import QuoteStatus
from tests.api_client import assert_error, bearer, send

from .factories import quotable_service, quoted, requested
from .test_views import free_slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return Client()


def test_a_customer_requests_a_quote_and_the_provider_sees_it(api):
    service = quotable_service()
    customer = CustomerFactory()

    response = send(
        api,
        "post",
        "/api/quotes/create/",
        {
            "service": service.pk,
            "description": "A new boiler",
            "city": service.provider.cities.first().name,
        },
        **bearer(customer),
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["quote"]) == ("REQUESTED", None)
    listed = send(api, "get", "/api/quotes/", **bearer(service.provider.user)).json()
    assert [row["reference"] for row in listed["results"]] == [body["reference"]]
    assert listed["count"] == 1 and listed["next"] is None


def test_a_city_the_provider_does_not_serve_is_a_400_naming_it(api):
    service = quotable_service()
    response = send(
        api,
        "post",
        "/api/quotes/create/",
        {"service": service.pk, "description": "x", "city": "nowhere-zz"},
        **bearer(CustomerFactory()),
    )
    assert "city" in assert_error(response, 400)["errors"]


def test_the_provider_quotes_and_the_customer_accepts_at_the_quoted_price(api):
    quote_request = requested()
    provider = bearer(quote_request.provider.user)
    ref = quote_request.reference

    quoted_body = send(
        api,
        "post",
        f"/api/quotes/{ref}/quote/",
        {
            "pricing": "HOURLY",
            "price": "45.00",
            "estimated_hours": "3",
            "duration_minutes": 180,
            "included": "Labour",
            "valid_until": (timezone.localdate() + timedelta(days=5)).isoformat(),
        },
        **provider,
    )
    assert quoted_body.status_code == 200, quoted_body.content
    assert quoted_body.json()["quote"]["estimated_total"] == "135.00"

    quote_request.refresh_from_db()
    accepted = send(
        api,
        "post",
        f"/api/quotes/{ref}/accept/",
        {
            "starts_at": free_slot(quote_request).isoformat(),
            "service_address": "1 Main Street",
            "service_postal_code": "78701",
        },
        **bearer(quote_request.customer),
    )

    assert accepted.status_code == 200, accepted.content
    body = accepted.json()
    booking = Booking.objects.get(booking_reference=body["booking_reference"])
    assert (booking.estimated_total, booking.quote_reference) == (135, ref)
    assert [e["kind"] for e in body["history"]] == ["REQUESTED", "QUOTED", "ACCEPTED"]


def test_accepting_again_is_a_409_naming_the_booking(api):
    quote_request = quoted()
    payload = {
        "starts_at": free_slot(quote_request).isoformat(),
        "service_address": "1 Main Street",
        "service_postal_code": "78701",
    }
    auth = bearer(quote_request.customer)
    first = send(api, "post", f"/api/quotes/{quote_request.reference}/accept/", payload, **auth)

    again = send(api, "post", f"/api/quotes/{quote_request.reference}/accept/", payload, **auth)

    assert assert_error(again, 409)["booking_reference"] == first.json()["booking_reference"]
    assert Booking.objects.count() == 1


def test_a_stranger_gets_404_and_the_customer_may_not_quote(api):
    quote_request = requested()
    path = f"/api/quotes/{quote_request.reference}/"

    assert_error(send(api, "get", path, **bearer(CustomerFactory())), 404)
    refused = send(
        api, "post", path + "decline/", {"reason": "no"}, **bearer(quote_request.customer)
    )
    assert_error(refused, 403)
    quote_request.refresh_from_db()
    assert quote_request.status == QuoteStatus.REQUESTED


def test_a_withdrawn_quote_cannot_be_accepted(api):
    quote_request = quoted()
    send(
        api,
        "post",
        f"/api/quotes/{quote_request.reference}/withdraw/",
        {},
        **bearer(quote_request.provider.user),
    )

    response = send(
        api,
        "post",
        f"/api/quotes/{quote_request.reference}/accept/",
        {
            "starts_at": (timezone.now() + timedelta(days=3)).isoformat(),
            "service_address": "1 Main Street",
            "service_postal_code": "78701",
        },
        **bearer(quote_request.customer),
    )
    assert "withdrawn" in assert_error(response, 409)["detail"].lower()


def test_the_list_filters_by_status_and_pages(api):
    first = quoted()
    requested(customer=first.customer)
    auth = bearer(first.customer)

    only_quoted = send(api, "get", "/api/quotes/?status=QUOTED", **auth).json()
    assert [row["reference"] for row in only_quoted["results"]] == [first.reference]
    assert_error(send(api, "get", "/api/quotes/?page=9", **auth), 400)
    assert_error(send(api, "get", "/api/quotes/?status=NOPE", **auth), 400)
