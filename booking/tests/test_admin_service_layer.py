"""Django admin changes bookings, schedules and days off only through booking.services: a
booking's page is for reading, and a refused change is shown with nothing saved."""

from datetime import date

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from accounts.tests.factories import AdminFactory, SuperadminFactory
from booking import services
from booking.models import BookingStatus, ProviderSchedule, TimeOff

pytestmark = pytest.mark.django_db

TIME_OFF_ADD = reverse("admin:booking_timeoff_add")


@pytest.fixture(params=[AdminFactory, SuperadminFactory], ids=["admin", "superadmin"])
def staff(request, client):
    user = request.param()
    client.force_login(user)
    return user


def shown_messages(response):
    return [str(message) for message in response.context["messages"]]


def test_a_bookings_page_offers_no_save_and_a_post_changes_nothing(
    client, staff, request_for_tuesday
):
    booking = request_for_tuesday
    url = reverse("admin:booking_booking_change", args=[booking.pk])

    page = client.get(url)
    posted = client.post(url, {"status": BookingStatus.CONFIRMED, "customer_notes": "Changed."})

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert posted.status_code == 403
    booking.refresh_from_db()
    assert (booking.status, booking.customer_notes) == (
        BookingStatus.PENDING,
        "The gate code is 1234.",
    )
    assert booking.history.count() == 1


def test_cancelling_from_the_list_still_works_for_staff(client, staff, request_for_tuesday):
    response = client.post(
        reverse("admin:booking_booking_changelist"),
        {"action": "cancel_bookings", "_selected_action": [request_for_tuesday.pk]},
        follow=True,
    )

    assert "Cancelled 1 booking(s)." in shown_messages(response)
    request_for_tuesday.refresh_from_db()
    assert request_for_tuesday.status == BookingStatus.CANCELLED
    assert request_for_tuesday.cancelled_by == staff


def test_a_schedule_changed_in_admin_goes_through_the_schedule_rules(client, staff, service):
    schedule = ProviderSchedule.objects.get(provider=service.provider)
    url = reverse("admin:booking_providerschedule_change", args=[schedule.pk])
    token = schedule.calendar_token

    page = client.get(url)
    response = client.post(
        url,
        {
            "time_zone": "America/Denver",
            "buffer_minutes": 30,
            "min_notice_hours": schedule.min_notice_hours,
            "max_advance_days": schedule.max_advance_days,
            "cancellation_free_hours": schedule.cancellation_free_hours,
            "pending_expiry_hours": schedule.pending_expiry_hours,
            "calendar_token": "chosen-by-support",
        },
    )

    assert 'name="calendar_token"' not in page.content.decode()
    assert response.status_code == 302
    schedule.refresh_from_db()
    assert (schedule.time_zone, schedule.buffer_minutes) == ("America/Denver", 30)
    assert schedule.calendar_token == token


def test_time_off_added_in_admin_is_checked_by_the_service_and_a_refusal_saves_nothing(
    client, staff, service
):
    refused = client.post(
        TIME_OFF_ADD,
        {"provider": service.provider.pk, "start_date": "2026-02-20", "end_date": "2026-02-21"},
    )
    added = client.post(
        TIME_OFF_ADD,
        {
            "provider": service.provider.pk,
            "start_date": "2026-03-04",
            "end_date": "2026-03-05",
            "reason": "  Family  ",
        },
    )

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["end_date"] == [
        "That time off is already over."
    ]
    assert added.status_code == 302
    assert list(TimeOff.objects.values_list("start_date", "end_date", "reason")) == [
        (date(2026, 3, 4), date(2026, 3, 5), "Family")
    ]
    assert LogEntry.objects.count() == 1  # the addition only


def test_time_off_is_removed_in_admin_and_is_not_edited_there(client, staff, service):
    time_off = services.add_time_off(
        provider=service.provider, start_date=date(2026, 3, 4), end_date=date(2026, 3, 5)
    )
    change_url = reverse("admin:booking_timeoff_change", args=[time_off.pk])

    edited = client.post(
        change_url,
        {"provider": service.provider.pk, "start_date": "2026-03-01", "end_date": "2026-03-09"},
    )
    deleted = client.post(
        reverse("admin:booking_timeoff_delete", args=[time_off.pk]), {"post": "yes"}, follow=True
    )

    assert edited.status_code == 403
    assert deleted.status_code == 200
    assert not TimeOff.objects.exists()
