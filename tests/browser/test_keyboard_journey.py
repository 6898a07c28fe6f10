"""A customer books with the keyboard alone (Tab, Shift+Tab, Enter, Space), seeing where focus is."""

import re
from datetime import time

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD, CityFactory, CustomerFactory
from booking.models import Booking, BookingStatus
from booking.tests.factories import bookable_service

pytestmark = pytest.mark.django_db(transaction=True)

ALL_DAY = [(day, time(0), time(23, 45)) for day in range(7)]
MAX_TABS = 80

FOCUS_STYLE = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    return {
        tag: element.tagName, text: element.textContent.trim().slice(0, 40),
        outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
        outlineColor: style.outlineColor, boxShadow: style.boxShadow,
        pageBackground: getComputedStyle(document.body).backgroundColor,
        rootBackground: getComputedStyle(document.documentElement).backgroundColor,
    };
}"""


def tab_to(page, selector, *, text="", backwards=False):
    """Press Tab (or Shift+Tab) until the focused element matches, as a keyboard user would."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        if page.evaluate(
            "([selector, text]) => document.activeElement.matches(selector)"
            " && document.activeElement.textContent.includes(text)",
            [selector, text],
        ):
            assert_focus_is_visible(page)
            return
    pytest.fail(f"{MAX_TABS} presses of {key} never reached {selector} {text!r}")


def assert_focus_is_visible(page):
    """The focused element has an outline (or ring) that stands out from the page: 3:1 at least
    (WCAG 1.4.11), so a keyboard user can see where they are."""
    focus = page.evaluate(FOCUS_STYLE)
    outlined = focus["outlineStyle"] != "none" and focus["outlineWidth"] >= 2
    assert outlined or focus["boxShadow"] != "none", f"focus is invisible on {focus}"
    if outlined:
        background = focus["pageBackground"]
        if background == "rgba(0, 0, 0, 0)":
            background = focus["rootBackground"]
        ratio = contrast(focus["outlineColor"], background)
        assert ratio >= 3, f"focus outline contrasts {ratio:.2f}:1 with the page on {focus}"


def contrast(first, second):
    def luminance(css_color):
        red, green, blue = (int(part) for part in re.findall(r"\d+", css_color)[:3])
        channels = []
        for value in (red / 255, green / 255, blue / 255):
            channels.append(value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4)
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("page", ["desktop"], indirect=True)
def test_customer_books_with_the_keyboard_only(page):
    austin = CityFactory(name="Austin", state="TX", time_zone="America/Chicago")
    service = bookable_service(title="Tap replacement", hours=ALL_DAY, city=austin)
    customer = CustomerFactory()

    page.goto(service.get_absolute_url())
    tab_to(page, "a", text=f"Book {service.provider.display_name}")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Pick a day")).to_be_visible()
    tab_to(page, "a.day-open")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Pick a time")).to_be_visible()
    tab_to(page, "a.slot")
    page.keyboard.press("Enter")

    # Booking needs an account: the login form comes first, then the same step again.
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    tab_to(page, "input[name=login]")
    page.keyboard.type(customer.email)
    tab_to(page, "input[name=password]")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    expect(page.get_by_label("Street address")).to_be_visible()
    tab_to(page, "input[name=service_address]")
    page.keyboard.type("12 Elm Street")
    tab_to(page, "select[name=service_city]")
    page.keyboard.type("Austin")  # a closed select picks the option typed
    tab_to(page, "input[name=service_postal_code]")
    page.keyboard.type("78701")
    tab_to(page, "button", text="Continue")
    tab_to(page, "select[name=service_city]", backwards=True)  # going back keeps the choice
    expect(page.get_by_label("City")).to_have_value(str(austin.pk))
    tab_to(page, "button", text="Continue")
    page.keyboard.press("Space")

    expect(page.get_by_role("heading", name="Check and send your request")).to_be_visible()
    tab_to(page, "button", text="Send booking request")
    page.keyboard.press("Space")

    expect(page.locator(".messages")).to_contain_text("is sent")
    booking = Booking.objects.get(customer=customer)
    assert (booking.service, booking.status) == (service, BookingStatus.PENDING)
    assert booking.service_postal_code == "78701"
    assert booking.service_city == austin
