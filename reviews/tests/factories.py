from datetime import timedelta

import factory
from django.utils import timezone

from booking.models import BookingStatus
from booking.tests.factories import BookingFactory
from reviews import services
from reviews.models import Review


def completed_booking(**fields):
    """A job that finished a few days ago (arranged straight in the table)."""
    fields.setdefault("status", BookingStatus.COMPLETED)
    fields.setdefault("starts_at", timezone.now() - timedelta(days=3))
    return BookingFactory(**fields)


def answers(**overrides) -> dict:
    """What a customer fills in on the review form, valid; override any answer."""
    return {
        "rating": 5,
        "title": "Fixed the leak in an hour",
        "comment": "On time, tidy, and explained what was wrong.",
        "quality_rating": 5,
        "punctuality_rating": 4,
        "professionalism_rating": 5,
        "value_rating": 4,
    } | overrides


class ReviewFactory(factory.django.DjangoModelFactory):
    """A review submitted through the service layer by the booking's customer, so the
    figures are moved as they are for real reviews. Pass `service=` to review a given one."""

    class Meta:
        model = Review

    rating = 5
    title = factory.Sequence(lambda n: f"Review {n}")
    comment = "Good work."
    quality_rating = factory.SelfAttribute("rating")
    punctuality_rating = factory.SelfAttribute("rating")
    professionalism_rating = factory.SelfAttribute("rating")
    value_rating = factory.SelfAttribute("rating")

    @classmethod
    def _create(cls, model_class, *, booking=None, service=None, now=None, **fields):
        if booking is None:
            booking = completed_booking(**({"service": service} if service else {}))
        return services.submit_review(booking=booking, customer=booking.customer, now=now, **fields)
