"""A provider's business pages (#21): the weekly hours editor on a phone and a desktop, with
HTMX and without JavaScript, and axe-core on the overview, hours, insights and clients."""

from datetime import time, timedelta

import pytest
from playwright.sync_api import expect

from booking.models import BookingStatus, WeeklyAvailability
from booking.tests.factories import bookable_service, local
from insights import services as insights_services
from insights.tests.factories import job

from .accounts import log_in
from .axe import AxeReport

pytestmark = pytest.mark.django_db(transaction=True)

HOURS = "/dashboard/availability/"


def _provider():
    return bookable_service(title="Garden care", hours=[(0, time(9), time(17))]).provider


def _open_hours(page, provider):
    page.goto("/accounts/login/")
    log_in(page, provider.user.email)
    page.goto(HOURS)


def _row(page, day, index):
    return page.locator(f"#hours-{day} .hours-row").nth(index)


def _hours(provider):
    return list(
        WeeklyAvailability.objects.filter(provider=provider)
        .order_by("weekday", "start_time")
        .values_list("weekday", "start_time", "end_time")
    )


def _no_sideways_scroll(page):
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_a_provider_sets_their_week_with_htmx(page):
    provider = _provider()
    _open_hours(page, provider)
    assert _no_sideways_scroll(page)

    monday = page.locator("#hours-0")
    monday.get_by_role("button", name="Add an interval on Monday").click()
    expect(monday.locator(".hours-row")).to_have_count(3)
    # The swap replaced the form, not the page: the browser never left it.
    _row(page, 0, 0).locator('input[name="hours-0-end"]').fill("12:00")
    _row(page, 0, 1).locator('input[name="hours-0-start"]').fill("13:00")
    _row(page, 0, 1).locator('input[name="hours-0-end"]').fill("17:00")
    page.get_by_role("button", name="Copy Monday to weekdays").click()
    expect(page.get_by_text("Save to keep them.")).to_be_visible()
    expect(_row(page, 3, 1).locator('input[name="hours-3-start"]')).to_have_value("13:00")

    # An overlap on Saturday is refused with its message on the row.
    _row(page, 5, 0).locator('input[name="hours-5-start"]').fill("09:00")
    _row(page, 5, 0).locator('input[name="hours-5-end"]').fill("12:00")
    _row(page, 5, 1).locator('input[name="hours-5-start"]').fill("11:00")
    _row(page, 5, 1).locator('input[name="hours-5-end"]').fill("13:00")
    page.get_by_role("button", name="Save hours").click()
    expect(_row(page, 5, 1)).to_contain_text("Saturday: 09:00–12:00 overlaps 11:00–13:00.")
    assert _hours(provider) == [(0, time(9), time(17))]

    _row(page, 5, 1).get_by_role("button", name="Remove").click()
    expect(page.locator("#hours-5 .hours-error")).to_have_count(0)
    page.get_by_role("button", name="Save hours").click()
    expect(page.get_by_text("Weekly hours saved.")).to_be_visible()
    week = [(day, time(9), time(12)) for day in range(5)]
    week += [(day, time(13), time(17)) for day in range(5)]
    assert sorted(_hours(provider)) == sorted([*week, (5, time(9), time(12))])
    assert _no_sideways_scroll(page)


def test_the_hours_editor_works_without_javascript(page_without_javascript):
    page = page_without_javascript
    provider = _provider()
    _open_hours(page, provider)

    page.locator("#hours-2").get_by_role("button", name="Add an interval on Wednesday").click()
    expect(page.locator("#hours-2 .hours-row")).to_have_count(3)  # a page load, one more row
    _row(page, 2, 0).locator('input[name="hours-2-start"]').fill("07:30")
    _row(page, 2, 0).locator('input[name="hours-2-end"]').fill("07:00")
    page.get_by_role("button", name="Save hours").click()
    expect(_row(page, 2, 0)).to_contain_text("must end after it starts")

    _row(page, 2, 0).locator('input[name="hours-2-end"]').fill("11:00")
    page.get_by_role("button", name="Save hours").click()
    expect(page.get_by_text("Weekly hours saved.")).to_be_visible()
    assert _hours(provider) == [(0, time(9), time(17)), (2, time(7, 30), time(11))]


def test_the_business_pages_have_no_serious_problems(page_for_axe, time_machine):
    service = bookable_service(
        title="Garden care", hours=[(day, time(0), time(23, 45)) for day in range(7)]
    )
    now = local(2026, 3, 31, 10)
    time_machine.move_to(now - timedelta(days=20), tick=True)
    done = job(service, now - timedelta(days=10), answer=BookingStatus.CONFIRMED)
    time_machine.move_to(now, tick=True)
    from booking import services as booking_services

    booking_services.transition_booking(
        booking=done, to_status=BookingStatus.IN_PROGRESS, by=service.provider.user, now=now
    )
    booking_services.transition_booking(
        booking=done, to_status=BookingStatus.COMPLETED, by=service.provider.user, now=now
    )
    job(service, now + timedelta(days=2), requested=now - timedelta(hours=2))
    insights_services.roll_up_history(provider=service.provider)
    page, report = page_for_axe, AxeReport(page_for_axe)
    page.goto("/accounts/login/")
    log_in(page, service.provider.user.email)

    for name, url in [
        ("dashboard overview", "/me/"),
        ("weekly hours", HOURS),
        ("insights", "/dashboard/insights/?period=30d"),
        ("insights, a year", "/dashboard/insights/?period=365d"),
        ("clients", "/dashboard/clients/"),
        ("a client", f"/dashboard/clients/{done.customer_id}/"),
    ]:
        page.goto(url)
        report.check(name)
        assert _no_sideways_scroll(page), f"{name} scrolls sideways on the {page.device}"
    report.assert_clean()
