"""A customer asks a provider from the service page; the provider answers while the
customer's conversation is open, and the answer appears there without a reload (#22).

The site is served by a real uvicorn process (the ASGI application, as the `live` service
runs it in production), so the page's Server-Sent Events stream is the real one; the
answer must show well inside the 20 s polling fallback."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from accounts.tests.factories import CustomerFactory
from booking.tests.factories import bookable_service
from live.tests.uvicorn_server import Uvicorn

from .conftest import VIEWPORTS

pytestmark = pytest.mark.django_db(transaction=True)

# Far below the 20 s poll: the answer came over the stream.
LIVE_WITHIN_MS = 8_000


@pytest.fixture(scope="module")
def asgi_site(django_db_setup, django_db_blocker):
    server = Uvicorn().start()
    yield server
    server.stop()


def _signed_in_page(chromium_browser, site, device, user):
    # Signed in by a session of the test database (the uvicorn process checks passwords
    # with the production hashers, the suite stores them with MD5; the login journeys
    # test the form itself).
    client = Client()
    client.force_login(user)
    context = chromium_browser.new_context(base_url=site.url, **VIEWPORTS[device])
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": site.url,
            }
        ]
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/")
    expect(page.get_by_role("link", name="Messages")).to_be_visible()
    return page


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_customer_asks_and_the_providers_answer_appears_live(chromium_browser, asgi_site, device):
    service = bookable_service()
    provider = service.provider
    customer = CustomerFactory()

    customer_page = _signed_in_page(chromium_browser, asgi_site, device, customer)
    customer_page.goto(service.get_absolute_url())
    customer_page.get_by_role("link", name=f"Ask {provider.display_name} a question").click()
    customer_page.get_by_label("Your message").fill("Can you fix a dripping tap on Monday?")
    customer_page.get_by_role("button", name="Send").click()
    thread = customer_page.locator("#thread")
    expect(thread).to_contain_text("Can you fix a dripping tap on Monday?")
    # The stream is open and delivering before the provider answers.
    # (the first heartbeat arrived: its subscription is in place on the server).
    expect(customer_page.locator("body")).to_have_attribute(
        "data-live-delivering", "true", timeout=10_000
    )

    provider_page = _signed_in_page(chromium_browser, asgi_site, "desktop", provider.user)
    provider_page.goto("/messages/")
    expect(provider_page.locator(".conversation-unread")).to_contain_text("1 unread")
    provider_page.get_by_role("link", name=customer.get_full_name()).click()
    provider_page.get_by_label("Your message").fill("Yes, Monday at 10 works.")
    provider_page.get_by_role("button", name="Send").click()
    expect(provider_page.locator("#thread")).to_contain_text("Yes, Monday at 10 works.")

    expect(thread).to_contain_text("Yes, Monday at 10 works.", timeout=LIVE_WITHIN_MS)
    assert customer_page.evaluate("document.documentElement.scrollWidth") <= customer_page.evaluate(
        "window.innerWidth"
    )
    customer_page.context.close()
    provider_page.context.close()
