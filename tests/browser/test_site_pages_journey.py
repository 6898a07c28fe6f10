"""From the home page to each of the site's own pages and back (#19), on a phone and a
desktop, with axe on each; the contact form sent; the provider's phone menu in one row; a
person's own data downloaded and their account deleted."""

import json
import re
from datetime import time

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.tests.factories import AdminFactory, CustomerFactory, ProviderFactory
from booking.tests.factories import bookable_service
from pages.models import ContactMessage

from .accounts import log_in
from .axe import AxeReport

pytestmark = pytest.mark.django_db(transaction=True)

# Footer link → the page's heading.
FOOTER_PAGES = [
    ("How it works", "How it works"),
    ("About", "About Marketplace"),
    ("Become a provider", "Become a provider"),
    ("Help and FAQ", "Help and FAQ"),
    ("Contact us", "Contact us"),
    ("Terms of use", "Terms of use"),
    ("Privacy notice", "Privacy notice"),
]


def no_sideways_scroll(page):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} scrolls sideways ({width}px)"


def test_every_new_page_is_reached_from_home_and_back_with_no_serious_problems(page_for_axe):
    page, report = page_for_axe, AxeReport(page_for_axe)
    for link, heading in FOOTER_PAGES:
        page.goto("/")
        footer = page.locator("footer.site-footer")
        footer.get_by_role("link", name=link, exact=True).click()
        expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
        assert page.title() == f"{heading} · Marketplace"
        description = page.locator('meta[name="description"]').get_attribute("content")
        assert description and "Book trusted local" not in description, page.url
        no_sideways_scroll(page)
        report.check(link)
        page.get_by_role("link", name="Marketplace").first.click()  # the brand, back home
        expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))
    report.assert_clean()


def test_the_icon_and_manifest_load_and_no_console_error_is_left(page):
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.goto("/")
    manifest = page.request.get(page.locator('link[rel="manifest"]').get_attribute("href"))
    icon = page.request.get("/favicon.ico")

    assert manifest.ok and json.loads(manifest.text())["short_name"] == "Marketplace"
    assert icon.ok and icon.headers["content-type"] == "image/png"
    assert page.locator("a.brand img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert errors == []


def test_a_visitor_writes_to_the_team_and_is_told_it_is_sent(page, mailoutbox):
    AdminFactory(email="team@example.com")
    page.goto("/")
    page.locator("footer").get_by_role("link", name="Contact us").click()

    page.get_by_label("Your name").fill("Rosa Diaz")
    page.get_by_label("Your email").fill("rosa@example.com")
    page.get_by_label("Subject").fill("A question")
    page.get_by_label("Your message").fill("Do you work on Sundays?")
    page.get_by_role("button", name="Send message").click()

    expect(page.get_by_role("heading", name="Message sent")).to_be_visible()
    expect(page.locator(".messages")).to_contain_text("We will answer by email to rosa@example.com")
    assert ContactMessage.objects.get().subject == "A question"
    assert [m.to for m in mailoutbox] == [["team@example.com"]]


def test_the_contact_form_and_the_account_pages_have_no_serious_problems(page_for_axe):
    page, report = page_for_axe, AxeReport(page_for_axe)
    page.goto("/contact/")
    page.get_by_role("button", name="Send message").click()  # nothing filled in
    expect(page.locator(".errorlist").first).to_be_visible()
    report.check("contact with errors")
    customer = CustomerFactory(first_name="Rosa")
    page.goto("/accounts/login/")
    log_in(page, customer.email)
    for name, url in [
        ("welcome", "/welcome/"),
        ("profile", "/me/profile/"),
        ("delete account", "/me/delete/"),
        ("dashboard", "/me/"),
    ]:
        page.goto(url)
        no_sideways_scroll(page)
        report.check(name)
    report.assert_clean()


def test_a_new_providers_dashboard_shows_the_checklist_without_serious_problems(page_for_axe):
    page, report = page_for_axe, AxeReport(page_for_axe)
    provider = ProviderFactory(verification="PENDING")
    page.goto("/accounts/login/")
    log_in(page, provider.email)
    page.goto("/me/")

    checklist = page.get_by_role("region", name="Getting your services in front of customers")
    expect(checklist).to_contain_text("of 5 steps done")
    checklist.get_by_role("link", name="Set your working hours").click()
    expect(page).to_have_url(re.compile(r"/dashboard/availability/$"))
    page.goto("/me/")
    report.check("provider dashboard with checklist")
    report.assert_clean()


def test_the_providers_navigation_is_one_row_on_a_phone_and_a_row_of_links_on_a_desktop(page):
    service = bookable_service(hours=[(day, time(9), time(17)) for day in range(5)])
    page.goto("/accounts/login/")
    log_in(page, service.provider.user.email)
    page.goto("/dashboard/bookings/")
    nav = page.get_by_role("navigation", name="Main")
    header = page.locator(".header-row")

    if page.device == "phone":
        # Brand, notifications and the menu button on one line, however many places.
        assert header.bounding_box()["height"] < 80, header.bounding_box()
        expect(nav.get_by_role("link", name="Services")).to_be_hidden()
        nav.get_by_text("Menu").click()
        expect(nav.get_by_role("link", name="Services")).to_be_visible()
        nav.get_by_role("link", name="Availability").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Working hours")
    else:
        expect(nav.get_by_text("Menu")).to_be_hidden()
        for name in ("Bookings", "Services", "Availability", "Business profile"):
            expect(nav.get_by_role("link", name=name)).to_be_visible()
        nav.get_by_role("button", name="Log out").click()
        expect(page.get_by_role("link", name="Log in")).to_be_visible()
    no_sideways_scroll(page)


def test_a_customer_downloads_their_data_and_deletes_their_account(page):
    customer = CustomerFactory(email="rosa@example.com", first_name="Rosa")
    page.goto("/accounts/login/")
    log_in(page, customer.email)
    page.goto("/me/profile/")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data").click()
    data = json.loads(download.value.path().read_text())
    assert data["account"]["email"] == "rosa@example.com"

    page.get_by_role("link", name="Delete my account").click()
    page.get_by_label("Your password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Delete my account for good").click()

    expect(page.locator(".messages")).to_contain_text("Your account is deleted.")
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    assert not User.objects.filter(pk=customer.pk).exists()
