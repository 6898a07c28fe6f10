"""Only work that happened is recorded: a provider starts a confirmed job from an hour before
its start (BOOKING_START_LEAD_MINUTES) and completes it only once its start has come; an
admin may set the record straight earlier, saying why, and the reason is kept in the history.
"""

import re

import pytest

from accounts.tests.factories import AdminFactory
from booking import services
from booking.models import Booking, BookingStatusHistory
from tests.api_client import assert_error, bearer, send

from .api_helpers import booking_url
from .factories import BookingFactory, local
from .helpers import TUESDAY_10, S

pytestmark = pytest.mark.django_db

# The job below starts Tuesday 3 March 2026 at 10:00 in Chicago (CST).
STARTS_FROM_9 = "This job can be started from Tue 3 Mar 2026, 09:00 CST."
COMPLETES_AFTER_10 = "This job starts Tue 3 Mar 2026, 10:00 CST; it can be completed after that."
SAY_WHY = "To do it now anyway, say why in the note."


@pytest.fixture
def job(service):
    """A confirmed job of `service` (the `now` fixture's clock), Tuesday 10:00-11:00 Chicago."""
    return BookingFactory(service=service, status=S.CONFIRMED, starts_at=TUESDAY_10)


@pytest.fixture
def provider(service):
    return service.provider.user


@pytest.fixture
def admin():
    return AdminFactory()


def status_url(booking):
    return f"{booking_url(booking)}status/"


def snapshot(booking):
    """Everything a status change could alter."""
    row = Booking.objects.values().get(pk=booking.pk)
    return row, BookingStatusHistory.objects.filter(booking_id=booking.pk).count()


def at(time_machine, *when):
    time_machine.move_to(local(2026, 3, *when), tick=False)


def change(client, booking, user, status, notes=None):
    data = {"status": status} if notes is None else {"status": status, "notes": notes}
    # A fresh token: the clock moves in these tests, and an old one may have expired.
    return send(client, "post", status_url(booking), data, **bearer(user))


def page_text(client, booking, user) -> str:
    client.force_login(user)
    response = client.get(booking.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def start(booking, by, notes=""):
    return services.transition_booking(booking=booking, to_status=S.IN_PROGRESS, by=by, notes=notes)


def complete(booking, by, notes=""):
    return services.transition_booking(booking=booking, to_status=S.COMPLETED, by=by, notes=notes)


# --- The provider --------------------------------------------------------------------------


def test_a_provider_cannot_start_a_job_more_than_an_hour_before_it(job, provider, time_machine):
    at(time_machine, 3, 8, 59)

    with pytest.raises(services.NotNow) as refused:
        start(job, provider)

    assert refused.value.message == STARTS_FROM_9
    job.refresh_from_db()
    assert job.status == S.CONFIRMED


def test_the_booking_page_offers_start_job_only_from_an_hour_before(
    client, job, provider, time_machine
):
    at(time_machine, 3, 8, 59)
    too_early = page_text(client, job, provider)
    at(time_machine, 3, 9, 0)
    in_time = page_text(client, job, provider)

    assert "Start job" not in too_early
    assert "Start job" in in_time


def test_the_api_answers_409_with_the_time_it_can_start_and_changes_nothing(
    client, job, provider, time_machine
):
    at(time_machine, 2, 9, 0)  # the day before
    before = snapshot(job)

    response = change(client, job, provider, "IN_PROGRESS")

    assert assert_error(response, 409)["detail"] == STARTS_FROM_9
    assert snapshot(job) == before


def test_a_provider_starts_a_job_from_an_hour_before_it(client, job, provider, time_machine):
    at(time_machine, 3, 9, 0)

    response = change(client, job, provider, "IN_PROGRESS")

    assert response.status_code == 200
    assert response.json()["status"] == "IN_PROGRESS"
    job.refresh_from_db()
    assert job.status == S.IN_PROGRESS


def test_a_job_started_early_cannot_be_completed_before_its_start(
    client, job, provider, time_machine
):
    at(time_machine, 3, 9, 0)
    start(job, provider)
    at(time_machine, 3, 9, 59)
    before = snapshot(job)

    response = change(client, job, provider, "COMPLETED", notes="All dry.")

    assert assert_error(response, 409)["detail"] == COMPLETES_AFTER_10
    assert snapshot(job) == before
    with pytest.raises(services.NotNow, match="it can be completed after that"):
        complete(job, provider)


def test_a_provider_completes_a_job_after_its_start(client, job, provider, time_machine):
    at(time_machine, 3, 9, 30)
    start(job, provider)
    at(time_machine, 3, 11, 0)

    response = change(client, job, provider, "COMPLETED", notes="All dry.")

    assert response.status_code == 200
    assert response.json()["status"] == "COMPLETED"
    assert job.service.__class__.objects.get(pk=job.service_id).completed_bookings_count == 1


def test_the_start_lead_is_a_setting(job, provider, settings, time_machine):
    settings.BOOKING_START_LEAD_MINUTES = 15
    at(time_machine, 3, 9, 44)

    with pytest.raises(services.NotNow) as refused:
        start(job, provider)
    at(time_machine, 3, 9, 45)
    started = start(job, provider)

    assert refused.value.message == "This job can be started from Tue 3 Mar 2026, 09:45 CST."
    assert started.status == S.IN_PROGRESS


# --- An admin setting the record straight ---------------------------------------------------


def test_an_admin_starting_a_job_early_must_say_why(job, admin):
    with pytest.raises(services.BookingError) as refused:
        start(job, admin)

    assert refused.value.field == "notes"
    assert refused.value.message == f"{STARTS_FROM_9} {SAY_WHY}"
    job.refresh_from_db()
    assert job.status == S.CONFIRMED


def test_the_api_asks_an_admin_for_the_reason_naming_notes(client, job, admin):
    before = snapshot(job)

    response = change(client, job, admin, "IN_PROGRESS")

    body = assert_error(response, 400)
    assert body["errors"] == {"notes": [f"{STARTS_FROM_9} {SAY_WHY}"]}
    assert snapshot(job) == before


def test_an_admin_starts_and_completes_a_job_early_with_a_reason_kept_in_its_history(
    client, job, admin
):
    started = change(client, job, admin, "IN_PROGRESS", notes="Provider came a day early.")
    completed = change(client, job, admin, "COMPLETED", notes="Customer confirmed by phone.")

    assert [started.status_code, completed.status_code] == [200, 200]
    history = BookingStatusHistory.objects.filter(booking=job).order_by("pk")
    assert [(row.to_status, row.changed_by, row.notes) for row in history] == [
        (S.IN_PROGRESS, admin, "Provider came a day early."),
        (S.COMPLETED, admin, "Customer confirmed by phone."),
    ]
    page = page_text(client, job, admin)
    assert "Provider came a day early." in page
    assert "Customer confirmed by phone." in page


def test_an_admin_completing_a_job_before_its_start_must_say_why(job, admin):
    start(job, admin, notes="Provider came a day early.")

    with pytest.raises(services.BookingError) as refused:
        complete(job, admin)

    assert refused.value.field == "notes"
    assert refused.value.message == f"{COMPLETES_AFTER_10} {SAY_WHY}"


def test_an_admin_needs_no_reason_once_the_job_may_start(job, admin, time_machine):
    at(time_machine, 3, 9, 0)

    started = start(job, admin)

    assert started.status == S.IN_PROGRESS


def test_an_admin_starts_a_job_early_from_the_booking_page_with_a_reason(client, job, admin):
    client.force_login(admin)

    response = client.post(
        f"{job.get_absolute_url()}status/",
        {"status": "IN_PROGRESS", "notes": "Provider came a day early."},
        follow=True,
    )

    page = response.content.decode()
    assert f"Booking {job.booking_reference} is now in progress." in page
    assert "Provider came a day early." in page
    job.refresh_from_db()
    assert job.status == S.IN_PROGRESS


def status_form(page: str, status: str) -> str:
    """The booking page's form that moves the booking to `status`."""
    forms = re.findall(r"<form .*?</form>", page, flags=re.S)
    return next(form for form in forms if f'name="status" value="{status}"' in form)


def test_the_booking_page_asks_an_admin_for_the_reason_an_early_start_needs(client, job, admin):
    form = status_form(page_text(client, job, admin), S.IN_PROGRESS)

    assert "Start job" in form
    assert 'name="notes"' in form
    assert "(required)" in form


def test_the_providers_start_button_asks_for_no_reason(client, job, provider, time_machine):
    at(time_machine, 3, 9, 0)

    form = status_form(page_text(client, job, provider), S.IN_PROGRESS)

    assert 'name="notes"' not in form
