"""Reviews written at the same moment, on real PostgreSQL connections: the figures stay exact.

Each call runs in its own thread and connection, all released together (see booking's
concurrency tests for the `race` helper and why `transaction=True`).
"""

from decimal import Decimal

import pytest

from accounts.tests.factories import AdminFactory
from booking.tests.factories import bookable_service
from reviews import selectors, services
from reviews.models import Review
from tests.concurrency import race

from .factories import ReviewFactory, answers, completed_booking

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_customers_reviewing_one_provider_at_once_are_all_counted(now):
    first = bookable_service()
    second = bookable_service(provider=first.provider)
    bookings = [completed_booking(service=(first, second)[i % 2]) for i in range(20)]

    def submit(booking, rating):
        return lambda: services.submit_review(
            booking=booking, customer=booking.customer, **answers(rating=rating)
        )

    results = race([submit(b, i % 5 + 1) for i, b in enumerate(bookings)])

    assert [r for r in results if not isinstance(r, Review)] == []
    first.refresh_from_db()
    first.provider.refresh_from_db()
    assert (first.review_count, first.rating_average) == (10, Decimal("3.00"))
    assert (first.provider.review_count, first.provider.rating_average) == (20, Decimal("3.00"))
    assert selectors.rating_drift().drifts == []


def test_one_booking_submitted_five_times_at_once_gets_one_review(now):
    booking = completed_booking()

    results = race(
        [lambda: services.submit_review(booking=booking, customer=booking.customer, **answers())]
        * 5
    )

    assert sum(isinstance(r, Review) for r in results) == 1
    assert sum(isinstance(r, services.AlreadyReviewed) for r in results) == 4
    booking.service.refresh_from_db()
    assert booking.service.review_count == 1


def test_editing_and_hiding_one_review_at_once_leaves_no_drift(now):
    service = bookable_service()
    review = ReviewFactory(service=service, rating=1)
    ReviewFactory(service=service, rating=5)
    admin = AdminFactory()

    results = race(
        [
            lambda: services.edit_review(
                review=Review.objects.get(pk=review.pk),
                customer=review.customer,
                **answers(rating=4),
            ),
            lambda: services.hide_review(
                review=Review.objects.get(pk=review.pk), by=admin, reason="Abusive."
            ),
        ]
    )

    # The edit either lands before the hide, or is refused because the review is hidden.
    assert all(isinstance(r, Review | services.NotNow) for r in results), results
    service.refresh_from_db()
    assert (service.review_count, service.rating_average) == (1, Decimal("5.00"))
    assert selectors.rating_drift().drifts == []
