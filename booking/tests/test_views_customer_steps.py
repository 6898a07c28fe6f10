"""The customer's booking pages (#19): "My bookings" marks jobs waiting for a review, the
booking page links to its service and provider, the address step fills in well."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import CityFactory, CustomerFactory
from booking.models import BookingStatus
from catalog.models import PricingType
from reviews.tests.factories import ReviewFactory, completed_booking

from .factories import BookingFactory, bookable_service

pytestmark = pytest.mark.django_db

TUESDAY = "2026-03-03"


@pytest.fixture
def service():
    return bookable_service(title="Leak repair", city=CityFactory(name="Austin"))


@pytest.fixture
def customer(client):
    user = CustomerFactory()
    client.force_login(user)
    return user


def _details_page(client, service, query=""):
    client.get(reverse("booking:book_date", args=[service.pk]) + query)
    return client.get(
        reverse("booking:book_details", args=[service.pk]), {"date": TUESDAY, "time": "10:00"}
    ).content.decode()


def test_my_bookings_marks_a_finished_job_waiting_for_a_review(client, customer, service):
    waiting = completed_booking(service=service, customer=customer)
    reviewed = completed_booking(service=service, customer=customer)
    ReviewFactory(booking=reviewed)
    BookingFactory(
        service=service,
        customer=customer,
        status=BookingStatus.CANCELLED,
        starts_at=timezone.now() - timedelta(days=2),
    )

    page = client.get(reverse("booking:my_bookings")).content.decode()

    assert "1 job waiting for your review." in page
    assert page.count("Waiting for your review") == 1
    assert f'href="{reverse("reviews:write", args=[waiting.booking_reference])}"' in page
    assert reverse("reviews:write", args=[reviewed.booking_reference]) not in page


@pytest.mark.parametrize("count", [1, 6])
def test_the_review_marks_cost_one_query_whatever_the_list(
    client, customer, service, count, django_assert_num_queries
):
    for _ in range(count):
        completed_booking(service=service, customer=customer)

    # user, upcoming, past, their reviews, the providers' photos (#18), the unread
    # notifications and unread messages (#22) badges
    with django_assert_num_queries(7):
        page = client.get(reverse("booking:my_bookings")).content.decode()

    assert page.count("Waiting for your review") == count


def test_the_booking_page_links_to_its_service_and_provider(client, customer, service):
    booking = BookingFactory(service=service, customer=customer)

    page = client.get(booking.get_absolute_url()).content.decode()

    assert f'<a href="{service.get_absolute_url()}">See the service</a>' in page
    assert f'href="{service.provider.get_absolute_url()}"' in page


def test_the_address_step_asks_browsers_to_fill_in_the_address(client, now, customer, service):
    page = _details_page(client, service)

    for token in ("street-address", "address-level2", "address-level1", "postal-code"):
        assert f'autocomplete="{token}"' in page, token


def test_the_address_step_starts_with_the_city_searched_for(client, now, customer):
    austin, dallas = CityFactory(name="Austin"), CityFactory(name="Dallas")
    service = bookable_service(city=austin)
    service.provider.cities.add(dallas)

    page = _details_page(client, service, f"?city={dallas.slug}")

    assert re.search(rf'<option value="{dallas.pk}" selected>', page)
    assert not re.search(rf'<option value="{austin.pk}" selected>', page)


def test_a_city_the_provider_does_not_serve_is_not_preselected(client, now, customer):
    austin, dallas = CityFactory(name="Austin"), CityFactory(name="Dallas")
    service = bookable_service(city=austin)
    service.provider.cities.add(CityFactory(name="Houston"))

    page = _details_page(client, service, f"?city={dallas.slug}")

    assert '<option value="" selected>Choose a city</option>' in page


def test_a_fixed_price_job_does_not_ask_how_long(client, now, customer, service):
    page = _details_page(client, service)

    assert "How long?" not in page
    assert '<input type="hidden" name="estimated_duration_minutes"' in page
    assert "Fixed price: the job takes about 1 h." in page


def test_an_hourly_job_asks_how_long(client, now, customer):
    service = bookable_service(pricing_type=PricingType.HOURLY, city=CityFactory())

    page = _details_page(client, service)

    assert "How long?" in page and '<select name="estimated_duration_minutes"' in page
