"""A customer requests a quote for a price-on-quote service, the provider quotes, the
customer accepts by choosing a free time, and the booking appears in both dashboards at the
quoted price (#22). axe checks each quote page on the way, on a phone and a desktop."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import CustomerFactory
from booking.models import Booking
from catalog.models import PricingType
from quotes.tests.factories import quotable_service

from .accounts import log_in
from .axe import AxeReport

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in_as(page, email):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    log_in(page, email)
    expect(page.get_by_role("link", name="Notifications").first).to_be_attached()


def test_customer_requests_provider_quotes_customer_accepts_and_both_see_the_booking(
    page_for_axe,
):
    page = page_for_axe
    axe = AxeReport(page)
    service = quotable_service(title="Bathroom refit", min_notice_hours=0)
    assert service.pricing_type == PricingType.QUOTE
    customer = CustomerFactory()

    # The customer asks from the service page; the steps are not offered.
    sign_in_as(page, customer.email)
    page.goto(service.get_absolute_url())
    expect(page.get_by_text("Price on quote")).to_be_visible()
    page.get_by_role("link", name="Request a quote").click()
    axe.check("request form")
    page.get_by_label("Describe the job").fill("Replace the bath with a walk-in shower.")
    page.get_by_label("Preferred days and times").fill("Weekday mornings")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".messages")).to_contain_text("is sent")
    reference = re.search(r"Q-[0-9A-Z]{4}-[0-9A-Z]{4}", page.locator("main").inner_text())[0]
    axe.check("request page (customer)")

    # The provider finds it in "Quote requests" and quotes.
    sign_in_as(page, service.provider.user.email)
    page.goto("/dashboard/quotes/")
    axe.check("quote requests")
    page.get_by_role("link", name="Bathroom refit").click()
    page.get_by_label("Price (the job, or per hour)").fill("1450.00")
    page.get_by_label("Duration (minutes)").fill("120")
    page.get_by_label("What is included").fill("Shower tray, tiling, labour")
    axe.check("request page (provider)")
    page.get_by_role("button", name="Send the quote").click()
    expect(page.locator(".messages")).to_contain_text(f"Quote {reference} sent")

    # The customer accepts at a free time.
    sign_in_as(page, customer.email)
    page.goto("/quotes/")
    axe.check("my quotes")
    page.get_by_role("link", name="Bathroom refit").click()
    expect(page.locator("main")).to_contain_text("$1,450")
    page.get_by_role("link", name="Accept and choose a time").click()
    page.locator(".quote-days a").first.click()
    page.locator("input[name=starts_at]").first.check()
    page.get_by_label("Street address").fill("12 Elm Street")
    page.get_by_label("Postal code").fill("78701")
    axe.check("accept")
    page.get_by_role("button", name="Book at the quoted price").click()
    expect(page.locator(".messages")).to_contain_text("Quote accepted")

    booking = Booking.objects.get(quote_reference=reference)
    assert str(booking.estimated_total) == "1450.00"
    page.goto("/bookings/")
    expect(page.locator("main")).to_contain_text(booking.booking_reference)

    sign_in_as(page, service.provider.user.email)
    page.goto("/dashboard/bookings/")
    expect(page.locator("main")).to_contain_text("Bathroom refit")
    axe.assert_clean()
