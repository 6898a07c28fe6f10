from datetime import datetime, timedelta

import pytest
from huey.contrib.djhuey import HUEY

from booking import tasks
from booking.models import BookingStatus

from .factories import BookingFactory, local

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
