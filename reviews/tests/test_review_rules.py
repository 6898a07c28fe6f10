"""Who may write or change a booking's review now: one rule, read the same way by the
services, the booking page's invitation and the review form; and what each costs."""

from datetime import UTC, timedelta

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import AdminFactory, CustomerFactory
from booking.models import BookingStatus
from reviews import selectors, services

from .factories import ReviewFactory, answers, completed_booking

pytestmark = pytest.mark.django_db


def review_url(booking):
    return reverse("reviews:write", args=[booking.booking_reference])


# --- The rule, as the services raise it ------------------------------------------------------


def test_the_customer_of_a_completed_booking_may_write_its_review():
    booking = completed_booking()

    assert selectors.review_blocker(booking, booking.customer) is None


def test_nobody_but_the_customer_may_write_it():
    booking = completed_booking()

    for someone in (None, CustomerFactory(), booking.provider.user, AdminFactory()):
        blocker = selectors.review_blocker(booking, someone)
        assert isinstance(blocker, services.NotAllowed)
        assert blocker.message == "Only the customer who booked this job can review it."


def test_an_unfinished_booking_cannot_be_reviewed_yet():
    booking = completed_booking(status=BookingStatus.CONFIRMED)

    blocker = selectors.review_blocker(booking, booking.customer)

    assert type(blocker) is services.NotNow
    assert blocker.message == (
        "This booking is confirmed; you can review it once the job is completed."
    )


def test_a_reviewed_booking_gets_no_second_review():
    booking = completed_booking()
    ReviewFactory(booking=booking)

    blocker = selectors.review_blocker(booking, booking.customer)

    assert isinstance(blocker, services.AlreadyReviewed)


def test_its_customer_may_change_a_review_within_the_window(time_machine, now):
    review = ReviewFactory()

    assert selectors.edit_blocker(review, review.customer) is None
    assert isinstance(selectors.edit_blocker(review, CustomerFactory()), services.NotAllowed)
    time_machine.move_to(now.astimezone(UTC) + timedelta(days=15), tick=False)
    late = selectors.edit_blocker(review, review.customer)
    assert type(late) is services.NotNow and "changed for 14 days" in late.message


def test_a_hidden_review_cannot_change():
    review = ReviewFactory()
    services.hide_review(review=review, by=AdminFactory(), reason="Spam.")

    blocker = selectors.edit_blocker(review, review.customer)

    assert type(blocker) is services.NotNow and "hidden by the marketplace team" in blocker.message


def test_the_opening_is_to_write_then_to_change_then_nothing(time_machine, now):
    booking = completed_booking()

    before = selectors.review_opening(booking, booking.customer)
    review = ReviewFactory(booking=booking)
    booking.refresh_from_db()
    after = selectors.review_opening(booking, booking.customer)
    time_machine.move_to(now.astimezone(UTC) + timedelta(days=15), tick=False)
    late = selectors.review_opening(booking, booking.customer)

    assert (before.review, before.can_write, before.can_edit) == (None, True, False)
    assert (after.review, after.can_write, after.can_edit) == (review, False, True)
    assert (late.review, late.can_write, late.can_edit) == (review, False, False)


def test_a_refusal_from_the_rule_is_what_the_service_raises():
    booking = completed_booking(status=BookingStatus.IN_PROGRESS)
    blocker = selectors.review_blocker(booking, booking.customer)

    with pytest.raises(services.NotNow) as raised:
        services.submit_review(booking=booking, customer=booking.customer, **answers())

    assert raised.value.message == blocker.message


# --- What the rule costs: the booking's review is read once, or not at all ----------------


def selects(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]


def review_reads(captured) -> list[str]:
    return [sql for sql in selects(captured) if 'FROM "reviews_review"' in sql]


def test_submitting_reads_for_an_earlier_review_once_after_the_lock():
    booking = completed_booking()

    with CaptureQueriesContext(connection) as captured:
        services.submit_review(booking=booking, customer=booking.customer, **answers())

    assert len(review_reads(captured)) == 1
    statements = [query["sql"] for query in captured.captured_queries]
    locked = next(i for i, sql in enumerate(statements) if "FOR UPDATE" in sql)
    assert statements.index(review_reads(captured)[0]) > locked


@pytest.mark.parametrize("reviewed", [False, True])
def test_the_review_form_reads_the_review_once(client, reviewed):
    booking = completed_booking()
    if reviewed:
        ReviewFactory(booking=booking)
    client.force_login(booking.customer)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(review_url(booking))

    assert response.status_code == 200
    assert len(review_reads(captured)) == 1


@pytest.mark.parametrize("who", ["provider", "customer of an unfinished job"])
def test_a_refused_form_reads_no_review(client, who):
    booking = completed_booking(
        status=BookingStatus.COMPLETED if who == "provider" else BookingStatus.CONFIRMED
    )
    client.force_login(booking.provider.user if who == "provider" else booking.customer)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(review_url(booking))

    assert response.status_code == (403 if who == "provider" else 302)
    assert review_reads(captured) == []


def test_the_booking_page_reads_the_review_with_its_reply_once(client):
    booking = completed_booking()
    review = ReviewFactory(booking=booking)
    services.reply_to_review(review=review, provider_user=booking.provider.user, text="Thanks!")
    client.force_login(booking.customer)

    with CaptureQueriesContext(connection) as captured:
        page = client.get(booking.get_absolute_url()).content.decode()

    assert "Thanks!" in page and "Edit your review" in page
    assert len(review_reads(captured)) == 1
    assert not any('FROM "reviews_reviewreply"' in sql for sql in selects(captured))


# --- HTMX ------------------------------------------------------------------------------------


def test_the_form_and_the_reply_vary_on_htmx(client):
    booking = completed_booking()
    client.force_login(booking.customer)
    form = client.get(review_url(booking))
    review = ReviewFactory(booking=booking)
    client.force_login(booking.provider.user)
    reply = client.post(reverse("reviews:reply", args=[review.pk]), {"text": "Thanks!"})

    assert "HX-Request" in form["Vary"]
    assert "HX-Request" in reply["Vary"]


# --- The booking page's invitation -----------------------------------------------------------


def invitation(booking, user, rf) -> str:
    request = rf.get(booking.get_absolute_url())
    request.user = user
    template = Template("{% load review_tags %}{% review_invitation booking %}")
    return template.render(Context({"request": request, "booking": booking}))


def test_the_invitation_is_for_the_customer_of_a_finished_job_only(rf):
    booking = completed_booking()
    unfinished = completed_booking(status=BookingStatus.CONFIRMED)

    assert "How did it go?" in invitation(booking, booking.customer, rf)
    assert invitation(booking, booking.provider.user, rf).strip() == ""
    assert invitation(booking, AdminFactory(), rf).strip() == ""
    assert invitation(unfinished, unfinished.customer, rf).strip() == ""
