"""A new provider signs up, offers a service, applies for verification; an Admin approves; it is found.

The provider's part runs on the phone and the desktop viewport; the Admin works on a desktop
in both runs (Django admin is a desk job), in a browser context of their own.
"""

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Role, User, VerificationStatus
from accounts.tests.factories import PASSWORD, PDF_BYTES, AdminFactory, CityFactory, image_bytes
from catalog.models import Service
from catalog.tests.factories import CategoryFactory

from .accounts import sign_up_and_confirm
from .conftest import VIEWPORTS

pytestmark = pytest.mark.django_db(transaction=True)


EMAIL = "marco@example.com"


def test_new_provider_is_verified_by_an_admin_and_their_service_is_found(
    page, chromium_browser, live_server, mailoutbox
):
    CityFactory(name="Austin", state="TX", time_zone="America/Chicago")
    CategoryFactory(name="Plumbing")
    admin = AdminFactory(email="ada@example.com")

    sign_up_and_confirm(
        page,
        email=EMAIL,
        first_name="Marco",
        last_name="Ricci",
        role_label="Offer my services (provider)",
    )
    # A provider without a business name is asked for one first.
    expect(page.get_by_role("heading", name="Your business profile")).to_be_visible()
    page.get_by_label("Business name").fill("Ricci Plumbing")
    page.get_by_label("Bio").fill("Twenty years of leaks, boilers and bathrooms.")
    page.get_by_label("Years of experience").fill("20")
    page.get_by_label("Austin, TX").check()
    page.get_by_role("button", name="Save business profile").click()
    expect(page.locator(".messages")).to_be_visible()

    nav = page.get_by_role("navigation", name="Main")
    if page.device == "phone":
        nav.get_by_text("Menu").click()  # the provider's places are one menu on a phone
    nav.get_by_role("link", name="Services").click()
    page.get_by_role("link", name="Add a service").click()
    page.get_by_label("Title").fill("Burst pipe repair")
    page.get_by_label("Category").select_option(label="Plumbing")
    page.get_by_label("Short description").fill("Same-day repair of burst and leaking pipes.")
    page.get_by_label("Description:", exact=True).fill(
        "I find the leak, replace the pipe, test it."
    )
    page.get_by_label("Pricing type").select_option("FIXED")
    page.get_by_label("Price").fill("120")
    page.get_by_label("Duration").select_option("90")
    page.get_by_label("Offer it now").check()
    page.get_by_role("button", name="Save service").click()
    row = page.locator(".service-row", has_text="Burst pipe repair")
    expect(row).to_contain_text("Hidden until you are verified")

    page.goto("/me/verification/")
    page.get_by_label("Identity document").set_input_files(
        {"name": "passport.png", "mimeType": "image/png", "buffer": image_bytes("PNG")}
    )
    page.get_by_label("Trade documents").set_input_files(
        {"name": "licence.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_label("Statement").fill("Licensed plumber since 2006; licence and ID attached.")
    page.get_by_role("button", name="Send my application").click()
    expect(page.locator("main .banner")).to_contain_text("waiting for an admin's decision")
    expect(page.locator("main")).to_contain_text("passport.png")

    anonymous = search_for_pipe_repair(chromium_browser, live_server)
    assert "Burst pipe repair" not in anonymous  # hidden until verified

    mail.outbox.clear()
    approve_in_django_admin(chromium_browser, live_server, admin.email)

    provider = User.objects.get(email=EMAIL)
    assert provider.role == Role.PROVIDER
    assert provider.provider_profile.verification_status == VerificationStatus.VERIFIED
    assert Service.objects.get(title="Burst pipe repair").is_listed
    assert any(EMAIL in message.to for message in mail.outbox)  # the provider is told

    assert "Burst pipe repair" in search_for_pipe_repair(chromium_browser, live_server)
    page.reload()
    expect(page.locator("main .banner")).to_contain_text("You are verified")


def approve_in_django_admin(chromium_browser, live_server, email):
    context = chromium_browser.new_context(base_url=live_server.url, **VIEWPORTS["desktop"])
    try:
        admin_page = context.new_page()
        admin_page.goto("/admin/")  # Django admin's own login page
        admin_page.get_by_label("Email address").fill(email)
        admin_page.get_by_label("Password").fill(PASSWORD)
        admin_page.get_by_role("button", name="Log in").click()
        admin_page.get_by_role("link", name="Verification applications").click()
        row = admin_page.locator("#result_list tr", has_text="Ricci Plumbing")
        row.get_by_role("checkbox").check()
        admin_page.locator("select[name=action]").select_option(
            label="Approve selected applications"
        )
        admin_page.get_by_role("button", name="Go").click()
        expect(admin_page.locator(".messagelist")).to_be_visible()
        expect(admin_page.locator("#result_list tr", has_text="Ricci Plumbing")).to_contain_text(
            "Verified"
        )
    finally:
        context.close()


def search_for_pipe_repair(chromium_browser, live_server):
    """What an anonymous visitor's search for "pipe" shows, in a fresh phone browser."""
    context = chromium_browser.new_context(base_url=live_server.url, **VIEWPORTS["phone"])
    try:
        visitor = context.new_page()
        visitor.goto("/search/?q=pipe&city=austin-tx")
        results = visitor.locator("#results")
        expect(results).to_be_visible()
        return results.inner_text()
    finally:
        context.close()
