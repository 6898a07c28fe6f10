"""What an API client gets from reviews: reviewing a finished booking, reading a service's."""

import json
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from accounts.tests.factories import PASSWORD, AdminFactory, CustomerFactory
from booking.models import BookingStatus
from booking.tests.factories import bookable_service
from catalog import services as catalog_services
from reviews import services
from reviews.models import Review

from .factories import ReviewFactory, answers, completed_booking

pytestmark = pytest.mark.django_db

CREATE = "/api/reviews/create/"


def reviews_url(service):
    return f"/api/services/{service.pk}/reviews/"


def bearer(user):
    """Log `user` in through the API, as a client does, and return the auth header."""
    response = Client().post(
        "/api/users/login/",
        json.dumps({"email": user.email, "password": PASSWORD}),
        "application/json",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['access']}"}


def create(client, booking, user=None, **overrides):
    payload = {"booking": booking.booking_reference, **answers(**overrides)}
    return client.post(
        CREATE, json.dumps(payload), "application/json", **bearer(user or booking.customer)
    )


def assert_error(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    return body


# --- Creating --------------------------------------------------------------------------------


def test_a_customer_reviews_their_completed_booking(client):
    booking = completed_booking()

    response = create(client, booking, rating=4, title="Good", comment="Tidy work.")

    assert response.status_code == 201
    body = response.json()
    review = Review.objects.get()
    assert body["id"] == review.pk
    assert {key: body[key] for key in ("service", "provider", "rating", "title", "comment")} == {
        "service": booking.service.pk,
        "provider": booking.provider.pk,
        "rating": 4,
        "title": "Good",
        "comment": "Tidy work.",
    }
    assert (body["quality_rating"], body["punctuality_rating"], body["reply"]) == (5, 4, None)
    assert body["author"] == f"{booking.customer.first_name} {booking.customer.last_name[0]}."
    booking.service.refresh_from_db()
    assert (booking.service.rating_average, booking.service.review_count) == (Decimal("4.00"), 1)


def test_the_reference_may_be_typed_in_lower_case(client):
    booking = completed_booking()
    payload = {"booking": f" {booking.booking_reference.lower()} ", **answers()}

    response = client.post(
        CREATE, json.dumps(payload), "application/json", **bearer(booking.customer)
    )

    assert response.status_code == 201


@pytest.mark.parametrize("as_text", [False, True])
def test_the_booking_may_be_named_by_its_numeric_id(client, as_text):
    booking = completed_booking()
    payload = {"booking": str(booking.pk) if as_text else booking.pk, **answers()}

    response = client.post(
        CREATE, json.dumps(payload), "application/json", **bearer(booking.customer)
    )

    assert response.status_code == 201
    assert Review.objects.get().booking == booking


def test_someone_elses_booking_named_by_id_is_not_found(client):
    booking = completed_booking()
    payload = {"booking": booking.pk, **answers()}

    response = client.post(
        CREATE, json.dumps(payload), "application/json", **bearer(CustomerFactory())
    )

    assert_error(response, 404)
    assert not Review.objects.exists()


@pytest.mark.parametrize("bad", [0, -3, 2**64, 1.5, None, [1]])
def test_a_booking_that_is_no_id_or_reference_is_a_400(client, bad):
    booking = completed_booking()
    payload = {"booking": bad, **answers()}

    response = client.post(
        CREATE, json.dumps(payload), "application/json", **bearer(booking.customer)
    )

    assert "booking" in assert_error(response, 400)["errors"]


def test_reviewing_needs_a_token(client):
    booking = completed_booking()
    payload = {"booking": booking.booking_reference, **answers()}

    response = client.post(CREATE, json.dumps(payload), "application/json")

    assert_error(response, 401)
    assert not Review.objects.exists()


def test_someone_elses_or_an_unknown_booking_is_not_found(client):
    booking = completed_booking()

    assert_error(create(client, booking, user=CustomerFactory()), 404)
    missing = completed_booking()
    missing.booking_reference = "BK-2222-2222"
    assert_error(create(client, missing, user=booking.customer), 404)
    assert not Review.objects.exists()


@pytest.mark.parametrize("who", ["provider", "admin"])
def test_only_the_bookings_customer_may_review_it(client, who):
    booking = completed_booking()
    user = booking.provider.user if who == "provider" else AdminFactory()

    body = assert_error(create(client, booking, user=user), 403)

    assert body["detail"] == "Only the customer who booked this job can review it."
    assert not Review.objects.exists()


def test_an_unfinished_booking_is_a_conflict(client):
    booking = completed_booking(status=BookingStatus.CONFIRMED)

    body = assert_error(create(client, booking), 409)

    assert "once the job is completed" in body["detail"]
    assert not Review.objects.exists()


def test_a_second_review_is_a_conflict_and_changes_nothing(client):
    booking = completed_booking()
    create(client, booking, rating=5, title="First")

    body = assert_error(create(client, booking, rating=1, title="Second"), 409)

    assert "already reviewed this booking" in body["detail"]
    assert list(Review.objects.values_list("title", "rating")) == [("First", 5)]


def test_bad_answers_are_400_naming_each_field(client):
    booking = completed_booking()

    out_of_range = assert_error(create(client, booking, rating=6, value_rating=0), 400)
    blank_title = assert_error(create(client, booking, title="   "), 400)

    assert set(out_of_range["errors"]) == {"rating", "value_rating"}
    assert blank_title["errors"] == {"title": ["A title is required."]}
    assert not Review.objects.exists()


# --- Reading ---------------------------------------------------------------------------------


def test_a_services_reviews_are_paged_newest_first_with_replies(client, settings):
    settings.REVIEWS_PAGE_SIZE = 2
    service = bookable_service()
    oldest = ReviewFactory(service=service, title="Oldest")
    ReviewFactory(service=service, title="Middle")
    ReviewFactory(service=service, title="Newest")
    services.reply_to_review(review=oldest, provider_user=service.provider.user, text="Thanks!")

    first = client.get(reviews_url(service)).json()
    second = client.get(first["next"]).json()

    assert first["count"] == 3
    assert [r["title"] for r in first["results"]] == ["Newest", "Middle"]
    assert first["previous"] is None
    assert parse_qs(urlsplit(first["next"]).query) == {"page": ["2"]}
    assert [r["title"] for r in second["results"]] == ["Oldest"]
    assert second["results"][0]["reply"]["text"] == "Thanks!"
    assert second["next"] is None and second["previous"].startswith("http://testserver/api/")


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [("highest", ["Five", "Three", "One"]), ("lowest", ["One", "Three", "Five"])],
)
def test_reviews_can_be_ordered_by_rating(client, ordering, expected):
    service = bookable_service()
    for rating, title in ((3, "Three"), (1, "One"), (5, "Five")):
        ReviewFactory(service=service, rating=rating, title=title)

    response = client.get(reviews_url(service), {"ordering": ordering})

    assert [r["title"] for r in response.json()["results"]] == expected


def test_hidden_reviews_are_left_out(client):
    service = bookable_service()
    ReviewFactory(service=service, title="Shown")
    services.hide_review(
        review=ReviewFactory(service=service, title="Abusive"), by=AdminFactory(), reason="Abuse."
    )

    body = client.get(reviews_url(service)).json()

    assert (body["count"], [r["title"] for r in body["results"]]) == (1, ["Shown"])


def test_an_unknown_ordering_or_a_page_past_the_last_is_400(client):
    service = bookable_service()
    ReviewFactory(service=service)

    ordering = assert_error(client.get(reviews_url(service), {"ordering": "best"}), 400)
    page = assert_error(client.get(reviews_url(service), {"page": "2"}), 400)

    assert set(ordering["errors"]) == {"ordering"}
    assert page["errors"] == {"page": ["The last page is 1."]}


def test_reviews_of_a_service_that_is_not_listed_are_404(client):
    service = bookable_service()
    catalog_services.set_service_active(service=service, user=service.provider.user, active=False)

    assert_error(client.get(reviews_url(service)), 404)
    assert_error(client.get("/api/services/999999/reviews/"), 404)


def test_a_service_without_reviews_has_an_empty_first_page(client):
    body = client.get(reviews_url(bookable_service())).json()

    assert body == {"count": 0, "next": None, "previous": None, "results": []}
