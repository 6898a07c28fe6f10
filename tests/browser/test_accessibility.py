"""axe-core finds no serious or critical problem on the main pages, on a phone and a desktop."""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import VerificationStatus
from accounts.tests.factories import CityFactory, CustomerFactory, ProviderFactory
from booking import selectors, services
from booking.models import Booking, BookingStatus
from booking.tests.factories import bookable_service, booking_input
from catalog.tests.factories import CategoryFactory
from reviews.tests.factories import ReviewFactory

from .accounts import log_in
from .axe import AxeReport

pytestmark = pytest.mark.django_db(transaction=True)

ALL_DAY = [(day, time(0), time(23, 45)) for day in range(7)]


@pytest.fixture
def reviewed_service():
    austin = CityFactory(name="Austin", state="TX", time_zone="America/Chicago")
    plumbing = CategoryFactory(name="Plumbing")
    service = bookable_service(
        title="Leak repair and pipe fixing",
        category=CategoryFactory(name="Leak repair", parent=plumbing),
        hours=ALL_DAY,
        city=austin,
    )
    ReviewFactory(service=service)
    return service


def test_public_pages_have_no_serious_problems(page_for_axe, reviewed_service):
    page, report = page_for_axe, AxeReport(page_for_axe)
    for name, url in [
        ("home", "/"),
        ("search results", "/search/?q=leak&city=austin-tx"),
        ("category", reviewed_service.category.parent.get_absolute_url()),
        ("service detail", reviewed_service.get_absolute_url()),
        ("provider page", reviewed_service.provider.get_absolute_url()),
        ("login", "/accounts/login/"),
        ("signup", "/accounts/signup/"),
        ("search without results", "/search/?q=zzzz"),
    ]:
        page.goto(url)
        report.check(name)
    report.assert_clean()


def test_booking_steps_and_my_bookings_have_no_serious_problems(page_for_axe, reviewed_service):
    page, report = page_for_axe, AxeReport(page_for_axe)
    customer = CustomerFactory()
    page.goto("/accounts/login/")
    log_in(page, customer.email)

    page.goto(f"/book/{reviewed_service.pk}/")
    report.check("booking step: date")
    page.locator("a.day-open").first.click()
    expect(page.get_by_role("heading", name="Pick a time")).to_be_visible()
    report.check("booking step: time")
    page.locator("a.slot").first.click()
    expect(page.get_by_label("Street address")).to_be_visible()
    report.check("booking step: details")
    page.get_by_role("button", name="Continue").click()  # nothing filled in: errors shown
    expect(page.locator(".field-invalid").first).to_be_visible()
    report.check("booking step: details with errors")
    page.get_by_label("Street address").fill("12 Elm Street")
    page.get_by_label("Postal code").fill("78701")
    page.get_by_label("City").select_option(label="Austin, TX")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check and send your request")).to_be_visible()
    report.check("booking step: review")
    page.get_by_role("button", name="Send booking request").click()
    expect(page.locator(".messages")).to_contain_text("is sent")
    report.check("booking detail")
    page.goto("/bookings/")
    report.check("my bookings")
    page.goto("/notifications/")
    report.check("notifications")
    report.assert_clean()
    assert Booking.objects.filter(customer=customer).exists()


def test_provider_dashboard_pages_have_no_serious_problems(page_for_axe, reviewed_service):
    page, report = page_for_axe, AxeReport(page_for_axe)
    soon = timezone.now() + timedelta(minutes=5)
    for _ in range(2):  # one request to answer, one confirmed job in today's agenda
        slot = selectors.next_free_slots(service=reviewed_service, after=soon)[0]
        booking = services.create_booking(
            **booking_input(reviewed_service, slot, customer=CustomerFactory())
        )
        soon = slot + timedelta(hours=2)
    services.transition_booking(
        booking=booking, to_status=BookingStatus.CONFIRMED, by=reviewed_service.provider.user
    )

    page.goto("/accounts/login/")
    log_in(page, reviewed_service.provider.user.email)
    for name, url in [
        ("provider dashboard", "/me/"),
        ("requests and agenda", "/dashboard/bookings/"),
        ("agenda of the week", "/dashboard/bookings/?agenda=week"),
        ("services list", "/dashboard/services/"),
        ("service form", "/dashboard/services/new/"),
        ("service form, editing", f"/dashboard/services/{reviewed_service.pk}/edit/"),
        ("availability", "/dashboard/availability/"),
        ("business profile", "/me/business/"),
        ("booking as the provider sees it", booking.get_absolute_url()),
        ("verification, verified", "/me/verification/"),
    ]:
        page.goto(url)
        report.check(name)

    newcomer = ProviderFactory(verification=VerificationStatus.PENDING)
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    log_in(page, newcomer.email)
    page.goto("/me/verification/")
    expect(page.get_by_role("button", name="Send my application")).to_be_visible()
    report.check("verification form")
    page.get_by_role("button", name="Send my application").click()  # nothing chosen
    expect(page.locator(".form-errors")).to_be_visible()
    report.check("verification form with errors")
    report.assert_clean()
