"""A new customer signs up, confirms the email, finds a worker, books a free slot, sees the booking."""

import re
from datetime import time

import pytest
from playwright.sync_api import expect

from accounts.models import Role, User
from accounts.tests.factories import CityFactory
from booking.models import Booking
from booking.tests.factories import bookable_service
from catalog.tests.factories import CategoryFactory

from .accounts import sign_up_and_confirm

pytestmark = pytest.mark.django_db(transaction=True)

ALL_DAY = [(day, time(6), time(22)) for day in range(7)]


@pytest.fixture
def plumbing_service():
    austin = CityFactory(name="Austin", state="TX", time_zone="America/Chicago")
    return bookable_service(
        title="Leak repair and pipe fixing",
        category=CategoryFactory(name="Plumbing"),
        base_price=90,
        hours=ALL_DAY,
        min_notice_hours=0,
        city=austin,
    )


def test_new_customer_signs_up_searches_books_and_sees_the_booking(
    page, plumbing_service, mailoutbox
):
    book_as_a_new_customer(page, plumbing_service, javascript=True)


def test_the_same_journey_works_with_javascript_off(
    page_without_javascript, plumbing_service, mailoutbox
):
    book_as_a_new_customer(page_without_javascript, plumbing_service, javascript=False)


def book_as_a_new_customer(page, plumbing_service, *, javascript):
    sign_up_and_confirm(
        page,
        email="rosa@example.com",
        first_name="Rosa",
        last_name="Parra",
        role_label="Book workers (customer)",
    )
    expect(page.locator(".messages")).to_contain_text("confirmed")
    # Confirming the email logs the new customer in, on the welcome page.
    expect(page.get_by_role("heading", name="Welcome, Rosa")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("My bookings")
    customer = User.objects.get(email="rosa@example.com")
    assert (customer.role, customer.first_name) == (Role.CUSTOMER, "Rosa")

    page.goto("/search/")
    page.get_by_label("What do you need?").fill("plumb")
    page.get_by_label("What do you need?").press("Enter")
    expect(page.locator("#results")).to_contain_text("Leak repair and pipe fixing")
    filters = page.locator("details.filters-more")
    if javascript:
        # Phones fold the filters away; wide screens show them open.
        assert filters.evaluate("details => details.open") is (page.device == "desktop")
    if not page.get_by_label("City").is_visible():
        page.get_by_text("Filters and sorting").click()
    page.get_by_label("City").select_option(label="Austin, TX")
    page.get_by_label("Max price").fill("100")
    page.get_by_label("Max price").press("Enter")
    expect(page).to_have_url(re.compile(r"city=austin-tx.*max_price=100"))
    expect(page.locator("#results")).to_contain_text("1 service")

    page.get_by_role("link", name="Leak repair and pipe fixing").click()
    page.get_by_role("link", name=f"Book {plumbing_service.provider.display_name}").click()
    page.locator("a.day-open").first.click()
    expect(page.get_by_role("heading", name="Pick a time")).to_be_visible()
    page.locator("a.slot").first.click()

    page.get_by_label("Street address").fill("12 Elm Street")
    page.get_by_label("Postal code").fill("78701")
    page.get_by_label("City").select_option(label="Austin, TX")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check and send your request")).to_be_visible()
    page.get_by_role("button", name="Send booking request").click()

    expect(page.locator(".messages")).to_contain_text("is sent")
    booking = Booking.objects.get(customer=customer)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My bookings").click()
    expect(page.locator("main")).to_contain_text(booking.booking_reference)
