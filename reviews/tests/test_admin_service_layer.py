"""Django admin changes reviews only through reviews.services (moderation): a review's page
is for reading, none is deleted there, and hiding one takes it off the public pages."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import AdminFactory, SuperadminFactory
from booking.tests.factories import bookable_service
from reviews.models import Review

from .factories import ReviewFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:reviews_review_changelist")


@pytest.fixture(params=[AdminFactory, SuperadminFactory], ids=["admin", "superadmin"])
def staff(request, client):
    user = request.param()
    client.force_login(user)
    return user


def test_a_reviews_page_in_admin_is_read_only_and_a_post_changes_nothing(client, staff):
    review = ReviewFactory(rating=2, title="Late", comment="Came two hours late.")
    url = reverse("admin:reviews_review_change", args=[review.pk])

    page = client.get(url)
    posted = client.post(url, {"rating": 5, "title": "Great", "comment": "Perfect."})

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert posted.status_code == 403
    review.refresh_from_db()
    assert (review.rating, review.title, review.comment) == (2, "Late", "Came two hours late.")


def test_reviews_cannot_be_bulk_deleted_in_admin(client, staff):
    review = ReviewFactory()

    listed = client.get(CHANGELIST)
    posted = client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [review.pk], "post": "yes"}
    )

    actions = [name for name, _ in listed.context["action_form"].fields["action"].choices]
    assert "delete_selected" not in actions
    assert posted.status_code == 302
    assert Review.objects.filter(pk=review.pk).exists()


def test_a_review_hidden_in_admin_leaves_the_public_service_page(
    client, staff, django_capture_on_commit_callbacks
):
    service = bookable_service()
    ReviewFactory(service=service, title="Rude and careless", comment="Left a mess.")
    visitor = Client()
    assert "Rude and careless" in visitor.get(service.get_absolute_url()).content.decode()
    review = Review.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            CHANGELIST,
            {
                "action": "hide_reviews",
                "_selected_action": [review.pk],
                "apply": "Confirm",
                "reason": "Names a person.",
            },
        )

    review.refresh_from_db()
    assert review.is_hidden
    page = visitor.get(service.get_absolute_url()).content.decode()
    assert "Rude and careless" not in page
    assert "Left a mess." not in page
