"""#18 on a phone and a desktop: a provider uploads a photo and customers see it on the card
and the service page; the next free time is right and follows a booking; the phone layout
(nothing wider than the screen, first result above the fold, the Book bar, target sizes);
axe on the pages, the month calendar of the day step included."""

import io
import re
from datetime import time

import pytest
from PIL import Image
from playwright.sync_api import expect

from accounts.tests.factories import CityFactory, CustomerFactory
from booking import next_free
from booking.tests.factories import bookable_service
from catalog.tests.factories import CategoryFactory
from photos.tests.factories import photo_for

from .accounts import log_in
from .axe import AxeReport

pytestmark = pytest.mark.django_db(transaction=True)

ALL_DAY = [(day, time(6), time(22)) for day in range(7)]

# Every link, button and summary the person can see, measured where it is drawn. Links
# inside running text are exempt (WCAG 2.5.8's inline exception): those whose paragraph
# holds other words too.
_SMALL_TARGETS = """() => {
  const small = [];
  for (const el of document.querySelectorAll('a[href], button, summary, input[type=submit]')) {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (!box.width || !box.height || style.visibility === 'hidden') continue;
    if (el.closest('.visually-hidden, .skip-link')) continue;
    const parent = el.parentElement;
    const inline = style.display === 'inline' && parent &&
      parent.textContent.trim().length > el.textContent.trim().length + 3;
    if (inline) continue;
    if (box.width < 23.5 || box.height < 23.5) {
      small.push(`${el.tagName} "${el.textContent.trim().slice(0, 30)}" ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return small;
}"""


@pytest.fixture
def tiling_service():
    austin = CityFactory(name="Austin", state="TX", time_zone="America/Chicago")
    service = bookable_service(
        title="Bathroom tiling",
        category=CategoryFactory(name="Tiling", icon="🧱"),
        base_price=137,
        hours=ALL_DAY,
        min_notice_hours=0,
        city=austin,
    )
    service.provider.cities.add(CityFactory(name="Round Rock", state="TX"))
    return service


def _photo_file(path):
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (30, 110, 190)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def check_layout(page):
    """Nothing wider than the layout (scrollWidth against the layout width, not innerWidth,
    which Chrome widens on mobile), and every target at least 24 x 24 px."""
    page.wait_for_load_state()
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{page.url} is {widths[0]} px wide in a {widths[1]} px layout"
    small = page.evaluate(_SMALL_TARGETS)
    assert not small, f"{page.url}: targets under 24 px: {small}"


def test_a_provider_uploads_a_photo_and_customers_see_it_with_the_next_free_time(
    page, tiling_service, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    provider = tiling_service.provider.user

    page.goto("/accounts/login/")
    log_in(page, provider.email)
    page.goto("/dashboard/services/")
    check_layout(page)
    page.get_by_role("link", name="Photos of Bathroom tiling").click()
    expect(page.get_by_role("heading", name="Photos of Bathroom tiling")).to_be_visible()
    check_layout(page)
    page.locator("#id_image").set_input_files(str(_photo_file(tmp_path / "shower.jpg")))
    page.get_by_label("Description (alt text)").fill("Tiled walk-in shower, finished")
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".messages")).to_contain_text("Photo saved")
    page.context.clear_cookies()  # signed out: a visitor from here on

    # A customer searches: the card has the photo, the cities, the price and the next free time.
    page.goto("/search/?q=tiling")
    card = page.locator(".service-card").first
    photo = card.get_by_role("img", name="Tiled walk-in shower, finished")
    expect(photo).to_be_visible()
    assert photo.get_attribute("loading") == "lazy"
    assert "320w" in photo.get_attribute("srcset")
    assert photo.get_attribute("width") and photo.get_attribute("height")
    assert photo.evaluate("img => img.naturalWidth") > 0  # the file is really served
    expect(card).to_contain_text("Austin · Round Rock")
    expect(card).to_contain_text("$137")
    shown = next_free.next_free_of(tiling_service)
    expect(card).to_contain_text(f"Next free: {shown.day_words()} {shown.starts_at:%H:%M}")
    check_layout(page)
    if page.device == "phone":
        # The results come first: the first card starts on the first screen.
        top = card.evaluate("card => card.getBoundingClientRect().top + window.scrollY")
        assert top < 740, f"the first result starts {top} px down"
        expect(page.locator("summary")).to_contain_text("Filters")

    card.get_by_role("link", name="Bathroom tiling").click()
    gallery = page.get_by_role("region", name="Photos of Bathroom tiling")
    expect(gallery.get_by_role("img", name="Tiled walk-in shower, finished")).to_be_visible()
    expect(page.locator(".next-free")).to_contain_text("Next free:")
    check_layout(page)
    bar = page.locator("#book-bar")
    if page.device == "phone":
        expect(bar).to_be_visible()
        expect(bar).to_contain_text("$137")
        page.mouse.wheel(0, 600)
        box = bar.bounding_box()
        assert box["y"] + box["height"] <= 741 and box["y"] > 740 - 120  # at the bottom
    else:
        expect(bar).to_be_hidden()

    # Signed in, the customer books the time shown from the link; the card moves on.
    customer = CustomerFactory(email="rosa@example.com")
    page.goto("/accounts/login/")
    log_in(page, customer.email)
    page.goto("/search/?q=tiling")
    page.locator(".service-card .next-free a").first.click()
    expect(page).to_have_url(re.compile(r"/details/\?date="))
    check_layout(page)
    page.get_by_label("Street address").fill("12 Elm Street")
    page.get_by_label("Postal code").fill("78701")
    page.get_by_label("City").select_option(label="Austin, TX")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check and send your request")).to_be_visible()
    check_layout(page)
    page.get_by_role("button", name="Send booking request").click()
    expect(page.locator(".messages")).to_contain_text("is sent")
    check_layout(page)

    following = next_free.next_free_of(tiling_service)
    assert following.starts_at > shown.starts_at
    page.goto("/search/?q=tiling")
    expect(page.locator(".service-card").first).to_contain_text(
        f"Next free: {following.day_words()} {following.starts_at:%H:%M}"
    )
    page.goto("/bookings/")
    expect(page.get_by_role("img", name="Tiled walk-in shower, finished")).to_be_visible()
    check_layout(page)


def test_the_day_step_is_a_month_and_the_pages_pass_axe(
    page_for_axe, tiling_service, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    photo_for(provider_user=tiling_service.provider.user, service=tiling_service)
    page = page_for_axe
    report = AxeReport(page)
    page.goto("/search/?q=tiling")
    check_layout(page)
    report.check("search")
    page.goto(tiling_service.category.get_absolute_url())
    check_layout(page)
    report.check("category")
    page.goto(tiling_service.get_absolute_url())
    check_layout(page)
    report.check("service")
    page.goto(tiling_service.provider.get_absolute_url())
    check_layout(page)
    report.check("provider")
    page.goto(f"/book/{tiling_service.pk}/")
    calendar = page.get_by_role("table")
    expect(calendar.locator("th").first).to_have_text("Mon")
    expect(calendar.locator("th").last).to_have_text("Sun")
    expect(
        page.get_by_role("link", name=re.compile(r"^\w+day \d+ \w+: free times$")).first
    ).to_be_visible()
    check_layout(page)
    report.check("day step")
    page.locator(".month-nav a[rel=next]").click()
    expect(page.locator(".month-title")).not_to_have_text("")
    check_layout(page)
    report.check("day step, next month")

    # The provider's photo pages, with a photo listed and the upload form.
    page.goto("/accounts/login/")
    log_in(page, tiling_service.provider.user.email)
    page.goto(f"/dashboard/services/{tiling_service.pk}/photos/")
    expect(page.get_by_role("heading", name="Photos of Bathroom tiling")).to_be_visible()
    check_layout(page)
    report.check("service photos")
    page.goto("/dashboard/photos/profile/")
    check_layout(page)
    report.check("own photo")
    report.assert_clean()
