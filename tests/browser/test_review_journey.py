"""After the job, the customer reviews it with sub-ratings; the service page shows it and its figures."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from reviews.tests.factories import completed_booking

pytestmark = pytest.mark.django_db(transaction=True)


def test_customer_reviews_a_finished_job_and_the_service_page_shows_it(page):
    booking = completed_booking()
    service = booking.service

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(booking.customer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(booking.get_absolute_url())
    page.get_by_role("link", name="Write a review").click()

    form = page.locator("#review-form")
    form.get_by_role("button", name="Publish review").click()  # nothing chosen yet
    expect(page.locator("#review-form")).to_contain_text("Choose from 1 to 5.")
    for group, stars in [
        ("Overall", "4 – Very good"),
        ("Quality", "5 – Excellent"),
        ("Punctuality", "3 – Good"),
        ("Professionalism", "4 – Very good"),
        ("Value for money", "4 – Very good"),
    ]:
        page.get_by_role("group", name=group).get_by_label(stars).check()
    page.get_by_label("Title").fill("Careful and quick")
    page.get_by_role("button", name="Publish review").click()
    expect(page.locator(".messages")).to_be_visible()

    page.goto(service.get_absolute_url())
    expect(page.locator("main")).to_contain_text("Careful and quick")
    expect(page.locator("main")).to_contain_text("4.00")
    service.refresh_from_db()
    assert (service.review_count, str(service.rating_average)) == (1, "4.00")
