"""services.expire_stale_requests: requests nobody answered in time expire and free their time."""

from datetime import date, time, timedelta

import pytest

from booking import selectors, services
from booking.models import Booking

from .factories import BookingFactory, bookable_service, local
from .helpers import TUESDAY_10, S, history

pytestmark = pytest.mark.django_db


def test_expiry_picks_exactly_the_requests_nobody_answered_in_time(now):
    patient = bookable_service(pending_expiry_hours=48)
    hasty = bookable_service(pending_expiry_hours=2)

    def request(service, waited_hours, starts_at=TUESDAY_10, status=S.PENDING):
        return BookingFactory(
            service=service,
            status=status,
            starts_at=starts_at,
            status_changed_at=now - timedelta(hours=waited_hours),
        )

    waited_too_long = request(patient, 49, starts_at=local(2026, 3, 4, 10))
    still_waiting = request(patient, 47, starts_at=local(2026, 3, 5, 10))
    start_passed = request(patient, 3, starts_at=local(2026, 3, 2, 6, 30))
    answered = request(patient, 100, starts_at=local(2026, 3, 6, 10), status=S.CONFIRMED)
    short_limit_passed = request(hasty, 3)
    short_limit_not_yet = request(hasty, 1.5, starts_at=local(2026, 3, 4, 10))

    expired = services.expire_stale_requests()

    assert expired == 3
    statuses = {
        b.pk: b.status
        for b in Booking.objects.filter(
            pk__in=[
                waited_too_long.pk,
                still_waiting.pk,
                start_passed.pk,
                answered.pk,
                short_limit_passed.pk,
                short_limit_not_yet.pk,
            ]
        )
    }
    assert statuses == {
        waited_too_long.pk: S.EXPIRED,
        still_waiting.pk: S.PENDING,
        start_passed.pk: S.EXPIRED,
        answered.pk: S.CONFIRMED,
        short_limit_passed.pk: S.EXPIRED,
        short_limit_not_yet.pk: S.PENDING,
    }
    assert history(waited_too_long) == [(S.PENDING, S.EXPIRED, None)]
    assert waited_too_long.history.get().notes == "No answer from the provider within 48 hours."
    assert start_passed.history.get().notes == (
        "No answer from the provider before the requested time."
    )
    assert services.expire_stale_requests() == 0


def test_an_expired_request_frees_its_time(now):
    service = bookable_service(hours=[(1, time(10), time(11))], pending_expiry_hours=1)
    BookingFactory(
        service=service, starts_at=TUESDAY_10, status_changed_at=now - timedelta(hours=2)
    )

    services.expire_stale_requests()

    assert selectors.free_slots(service=service, date=date(2026, 3, 3)) == [TUESDAY_10]
