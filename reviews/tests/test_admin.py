"""What the marketplace team sees and can do with reviews in Django admin."""

from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import AdminFactory
from booking.tests.factories import bookable_service
from reviews.models import ModerationAction, Review

from .factories import ReviewFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:reviews_review_changelist")


@pytest.fixture
def admin_user(client):
    user = AdminFactory()
    client.force_login(user)
    return user


def moderate(client, action, reviews, **extra):
    data = {"action": action, "_selected_action": [review.pk for review in reviews], **extra}
    return client.post(CHANGELIST, data)


def test_admins_list_reviews_with_a_constant_number_of_queries(client, admin_user):
    def queries_for_the_list():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(CHANGELIST)
        assert response.status_code == 200
        return len(queries), response.context["cl"].result_count

    ReviewFactory()
    queries_for_the_list()  # warm up the session and permission caches
    with_one = queries_for_the_list()
    for _ in range(4):
        ReviewFactory()
    with_five = queries_for_the_list()

    assert (with_one[1], with_five[1]) == (1, 5)
    assert with_one[0] == with_five[0]


def test_admins_filter_reviews_by_rating_and_visibility(client, admin_user):
    low = ReviewFactory(rating=1, title="Low")
    ReviewFactory(rating=5, title="High")
    moderate(client, "hide_reviews", [low], apply="Confirm", reason="Abusive.")

    by_rating = client.get(CHANGELIST, {"rating": "1"})
    hidden = client.get(CHANGELIST, {"is_hidden__exact": "1"})

    assert [review.title for review in by_rating.context["cl"].result_list] == ["Low"]
    assert [review.title for review in hidden.context["cl"].result_list] == ["Low"]


def test_hiding_asks_for_a_reason_first_and_nothing_changes_until_given(client, admin_user):
    review = ReviewFactory(rating=1)

    asked = moderate(client, "hide_reviews", [review])
    refused = moderate(client, "hide_reviews", [review], apply="Confirm", reason="  ")

    assert "Why are these reviews hidden?" in asked.content.decode()
    assert 'name="reason"' in asked.content.decode()
    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()
    review.refresh_from_db()
    assert not review.is_hidden


def test_admins_hide_and_show_reviews_with_a_reason_through_the_service_layer(client, admin_user):
    service = bookable_service()
    kept = ReviewFactory(service=service, rating=5)
    abusive = ReviewFactory(service=service, rating=1)

    hidden = moderate(client, "hide_reviews", [abusive], apply="Confirm", reason="Insults.")

    assert hidden.status_code == 302
    service.refresh_from_db()
    assert (service.rating_average, service.review_count) == (Decimal("5.00"), 1)
    abusive.refresh_from_db()
    assert (abusive.is_hidden, abusive.hidden_reason, abusive.hidden_by) == (
        True,
        "Insults.",
        admin_user,
    )
    assert "Hidden 1 review(s)." in client.get(CHANGELIST).content.decode()

    moderate(client, "unhide_reviews", [abusive, kept], apply="Confirm", reason="On appeal.")

    service.refresh_from_db()
    assert (service.rating_average, service.review_count) == (Decimal("3.00"), 2)
    page = client.get(CHANGELIST).content.decode()
    assert "Shown again 1 review(s)." in page
    assert "This review is not hidden." in page  # the one that was never hidden
    assert list(abusive.moderation.values_list("action", "reason")) == [
        (ModerationAction.HIDDEN, "Insults."),
        (ModerationAction.SHOWN, "On appeal."),
    ]
    assert LogEntry.objects.filter(object_id=str(abusive.pk)).count() == 2


def test_reviews_cannot_be_added_or_deleted_in_admin(client, admin_user):
    review = ReviewFactory()

    change_page = client.get(reverse("admin:reviews_review_change", args=[review.pk]))

    assert change_page.status_code == 200
    assert client.get(reverse("admin:reviews_review_add")).status_code == 403
    assert client.get(reverse("admin:reviews_review_delete", args=[review.pk])).status_code == 403
    assert Review.objects.filter(pk=review.pk).exists()
