"""A provider answers a request inline, starts and completes the job; the customer hears of each step."""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD, CustomerFactory
from booking import services
from booking.models import BookingStatus
from booking.tests.factories import bookable_service, booking_input
from notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)

ALL_DAY = [(day, time(0), time(23, 45)) for day in range(7)]


def log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_provider_accepts_starts_and_completes_and_the_customer_is_told(
    page, mailoutbox, time_machine
):
    service = bookable_service(title="Deep kitchen clean", hours=ALL_DAY, min_notice_hours=0)
    customer = CustomerFactory()
    soon = services.selectors.next_free_slots(
        service=service, after=timezone.now() + timedelta(minutes=5)
    )[0]
    booking = services.create_booking(**booking_input(service, soon, customer=customer))

    log_in(page, service.provider.user.email)
    page.goto("/dashboard/bookings/")
    request_row = page.locator(f"#request-{booking.pk}")
    expect(request_row).to_contain_text("Deep kitchen clean")
    request_row.get_by_role("button", name="Accept").click()
    expect(request_row).to_contain_text("Confirmed")  # swapped in place, no reload
    expect(page.locator("#agenda, .messages").first).to_be_visible()

    page.goto(booking.get_absolute_url())
    page.get_by_role("button", name="Start job").click()
    expect(page.locator(".messages")).to_contain_text("in progress")
    # A job is completed once its start time has come: the clock moves on to it (the
    # live server runs in this process, so it sees the same clock).
    expect(page.get_by_role("button", name="Mark as completed")).to_have_count(0)
    time_machine.move_to(booking.starts_at + timedelta(minutes=1))
    page.reload()
    page.get_by_role("button", name="Mark as completed").click()
    expect(page.locator(".messages")).to_contain_text("completed")

    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED
    told = list(Notification.objects.filter(recipient=customer).values_list("title", flat=True))
    assert any("confirmed" in title for title in told)
    assert any("started" in title for title in told)
    assert any("how did it go" in title for title in told)
    assert {m.subject for m in mailoutbox if customer.email in m.to} >= {
        f"[Marketplace] {t}" for t in told
    }
