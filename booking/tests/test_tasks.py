from datetime import datetime, timedelta

import pytest
from huey.contrib.djhuey import HUEY

from booking import services, tasks
from booking.models import BookingStatus
from booking.models import BookingStatus as S

from .factories import BookingFactory, bookable_service, booking_input, local

pytestmark = pytest.mark.django_db


def test_the_expiry_job_runs_every_quarter_hour():
    job = tasks.expire_stale_booking_requests.task_class()

    assert tasks.expire_stale_booking_requests.task_class in HUEY._registry._periodic_tasks
    runs = [
        minute for minute in range(60) if job.validate_datetime(datetime(2026, 3, 2, 10, minute))
    ]
    assert runs == [0, 15, 30, 45]


def test_the_expiry_job_expires_unanswered_requests(now):
    stale = BookingFactory(
        starts_at=local(2026, 3, 5, 10), status_changed_at=now - timedelta(hours=49)
    )
    fresh = BookingFactory(starts_at=local(2026, 3, 5, 12))

    tasks.expire_stale_booking_requests()

    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.status, fresh.status) == (BookingStatus.EXPIRED, BookingStatus.PENDING)


def test_reminders_go_once_to_both_sides_of_jobs_due_within_a_day(
    now, time_machine, django_capture_on_commit_callbacks, mailoutbox
):
    from booking.tasks import send_booking_reminders

    service = bookable_service()
    due = services.create_booking(**booking_input(service, local(2026, 3, 3, 9)))
    later = services.create_booking(**booking_input(service, local(2026, 3, 4, 9)))
    unanswered = services.create_booking(**booking_input(service, local(2026, 3, 3, 11)))
    for booking in (due, later):
        services.transition_booking(
            booking=booking, to_status=S.CONFIRMED, by=service.provider.user
        )
    time_machine.move_to(local(2026, 3, 2, 10), tick=False)  # Tuesday 9:00 is 23 hours away

    with django_capture_on_commit_callbacks(execute=True):
        assert send_booking_reminders.call_local() == 1
        assert send_booking_reminders.call_local() == 0

    reminders = [m for m in mailoutbox if "Reminder" in m.subject]
    assert sorted(m.to[0] for m in reminders) == sorted(
        [due.customer.email, service.provider.user.email]
    )
    assert all(due.booking_reference in m.subject for m in reminders)
    assert unanswered.booking_reference not in " ".join(m.subject for m in reminders)


def test_a_customer_who_turned_reminders_off_gets_none(
    now, time_machine, django_capture_on_commit_callbacks, mailoutbox
):
    service = bookable_service()
    booking = services.create_booking(**booking_input(service, local(2026, 3, 3, 9)))
    services.transition_booking(booking=booking, to_status=S.CONFIRMED, by=service.provider.user)
    booking.customer.profile.email_reminders = False
    booking.customer.profile.save()
    time_machine.move_to(local(2026, 3, 2, 10), tick=False)

    with django_capture_on_commit_callbacks(execute=True):
        services.send_due_reminders()

    assert [m.to for m in mailoutbox if "Reminder" in m.subject] == [[service.provider.user.email]]
