"""Search by availability (#18) on a phone and a desktop, and without JavaScript: a customer
asks who is free tomorrow, sees only those who are, removes the filter, and books the last
free time; the filter then leaves that provider out."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import CityFactory
from booking import free_days, services
from booking.tests.factories import bookable_service, booking_input
from catalog.tests.factories import CategoryFactory

from .axe import AxeReport

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def plumbers():
    """Two plumbers in Austin: one free tomorrow for one hour only, one never free tomorrow."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    austin = CityFactory(name="Austin", state="TX", time_zone="UTC")
    plumbing = CategoryFactory(name="Plumbing")
    free = bookable_service(
        title="Tomorrow plumber",
        category=plumbing,
        city=austin,
        time_zone="UTC",
        hours=[(tomorrow.weekday(), time(9), time(10))],
    )
    busy = bookable_service(
        title="Other day plumber",
        category=plumbing,
        city=austin,
        time_zone="UTC",
        hours=[((tomorrow.weekday() + 1) % 7, time(9), time(17))],
    )
    for service in (free, busy):
        free_days.refresh(service.provider_id)
    return {"free": free, "busy": busy, "tomorrow": tomorrow}


def card_titles(page):
    page.wait_for_load_state()
    return sorted(page.locator(".service-card h3").all_inner_texts())


def choose_tomorrow(page):
    summary = page.locator("details summary").filter(has_text="Filters")
    if summary.count() and not page.get_by_label("Available").is_visible():
        summary.first.click()
    page.get_by_label("Available").select_option(label="Tomorrow")


def test_a_customer_finds_who_is_free_tomorrow_on_a_phone_and_a_desktop(page, plumbers):
    page.goto("/search/?q=plumber")
    assert card_titles(page) == ["Other day plumber", "Tomorrow plumber"]

    choose_tomorrow(page)
    page.get_by_role("button", name="Search").first.click()

    expect(page.locator(".service-card")).to_have_count(1)
    expect(page.locator(".service-card").first).to_contain_text("Tomorrow plumber")
    assert f"available={plumbers['tomorrow'].isoformat()}" in page.url
    chip = page.get_by_role("link", name="Free tomorrow")
    expect(chip).to_be_visible()

    chip.click()
    expect(page.locator(".service-card")).to_have_count(2)


def test_the_filter_works_without_javascript_and_forgets_a_booked_day(
    page_without_javascript, plumbers, django_capture_on_commit_callbacks
):
    page = page_without_javascript
    page.goto("/search/?q=plumber")
    choose_tomorrow(page)
    page.get_by_role("button", name="Search").first.click()
    expect(page.locator(".service-card")).to_have_count(1)

    # Someone books the one free hour (through the service layer, as the steps do).
    starts = datetime.combine(plumbers["tomorrow"], time(9), tzinfo=UTC)
    with django_capture_on_commit_callbacks(execute=True):
        services.create_booking(**booking_input(plumbers["free"], starts))

    page.reload()
    expect(page.locator(".service-card")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("No services match these filters.")


def test_the_search_page_with_the_filter_passes_axe(page_for_axe, plumbers):
    page = page_for_axe
    page.goto(f"/search/?q=plumber&available={plumbers['tomorrow'].isoformat()}")
    AxeReport(page).check("search, free tomorrow")
