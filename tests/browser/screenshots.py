"""`make screenshots`: a PNG of every main page, on the phone and the desktop viewport.

Not a test of the suite (the name keeps `make test` from collecting it): pytest is only the
harness that gives a live server on PostgreSQL and Chromium. The demo data (seed_demo) fills
the pages; the files go to docs/screenshots/, named <page>-<viewport>.png.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image
from playwright.sync_api import expect

from accounts.models import ServiceProviderProfile
from booking.models import Booking
from catalog.models import Service, ServiceCategory
from demo.seed import DEMO_PASSWORD

from .conftest import VIEWPORTS

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

pytestmark = pytest.mark.django_db(transaction=True)


def test_write_screenshots(chromium_browser, live_server):
    call_command("seed_demo", verbosity=0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for device in VIEWPORTS:
        context = chromium_browser.new_context(base_url=live_server.url, **VIEWPORTS[device])
        context.set_default_timeout(15_000)
        try:
            photograph_every_page(context.new_page(), device)
        finally:
            context.close()


def photograph_every_page(page, device):
    def shoot(name):
        page.wait_for_load_state("networkidle")
        save_small_png(page.screenshot(animations="disabled"), SCREENSHOTS / f"{name}-{device}.png")

    # The most reviewed listing: its page shows ratings, reviews and replies.
    service = (
        Service.objects.filter(is_listed=True)
        .exclude(provider__user__email="provider@example.com")
        .order_by("-review_count", "pk")
        .first()
    )
    provider = ServiceProviderProfile.objects.get(user__email="provider@example.com")
    category = ServiceCategory.objects.filter(parent=None).order_by("pk").first()

    for name, url in [
        ("home", "/"),
        ("search", "/search/?q=plumb"),
        ("category", category.get_absolute_url()),
        ("service", service.get_absolute_url()),
        ("provider", provider.get_absolute_url()),
        ("login", "/accounts/login/"),
        ("signup", "/accounts/signup/"),
    ]:
        page.goto(url)
        shoot(name)

    log_in(page, "customer@example.com")
    page.goto(f"/book/{service.pk}/")
    shoot("book-1-day")
    page.locator("a.day-open").first.click()
    expect(page.get_by_role("heading", name="Pick a time")).to_be_visible()
    shoot("book-2-time")
    page.locator("a.slot").first.click()
    expect(page.get_by_label("Street address")).to_be_visible()
    page.get_by_label("Street address").fill("12 Elm Street")
    page.get_by_label("Postal code").fill("78701")
    page.get_by_label("City").select_option(index=1)
    shoot("book-3-details")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check and send your request")).to_be_visible()
    shoot("book-4-confirm")
    page.goto("/bookings/")
    shoot("my-bookings")
    booking = Booking.objects.filter(customer__email="customer@example.com").order_by("pk").first()
    page.goto(booking.get_absolute_url())
    shoot("booking")
    page.context.clear_cookies()

    log_in(page, "provider@example.com")
    for name, url in [
        ("dashboard-bookings", "/dashboard/bookings/"),
        ("dashboard-services", "/dashboard/services/"),
        ("dashboard-availability", "/dashboard/availability/"),
        ("dashboard-verification", "/me/verification/"),
    ]:
        page.goto(url)
        shoot(name)
    page.context.clear_cookies()


def log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_attached()


def save_small_png(png, path):
    """What the viewport shows, in 256 colours: a fraction of the size, no visible loss for
    flat pages like these."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
