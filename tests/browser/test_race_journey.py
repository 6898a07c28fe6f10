"""Two customers in two browsers want the same time: one gets it, the other is told at once."""

from datetime import time

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD, CustomerFactory
from booking.models import Booking
from booking.tests.factories import bookable_service

from .conftest import VIEWPORTS

pytestmark = pytest.mark.django_db(transaction=True)

ALL_DAY = [(day, time(6), time(22)) for day in range(7)]


def reach_the_review_step(page, service, email):
    page.goto(f"/book/{service.pk}/")
    page.locator("a.day-open").first.click()
    page.locator("a.slot").first.click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Street address").fill("12 Elm Street")
    page.get_by_label("Postal code").fill("78701")
    page.get_by_label("City").select_option(index=1)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check and send your request")).to_be_visible()


def test_two_browsers_race_for_one_slot(chromium_browser, live_server):
    service = bookable_service(title="Boiler service", hours=ALL_DAY, min_notice_hours=0)
    first, second = CustomerFactory(), CustomerFactory()
    contexts = [
        chromium_browser.new_context(base_url=live_server.url, **VIEWPORTS[device])
        for device in ("phone", "desktop")
    ]
    try:
        pages = [context.new_page() for context in contexts]
        for page, customer in zip(pages, (first, second), strict=True):
            reach_the_review_step(page, service, customer.email)

        pages[0].get_by_role("button", name="Send booking request").click()
        expect(pages[0].locator(".messages")).to_contain_text("is sent")
        pages[1].get_by_role("button", name="Send booking request").click()

        alert = pages[1].get_by_role("alert")
        expect(alert).to_contain_text("just taken")
        expect(alert.locator("a.slot")).to_have_count(3)  # the next free times, one tap away
    finally:
        for context in contexts:
            context.close()
    assert list(Booking.objects.values_list("customer", flat=True)) == [first.pk]
