import random

import pytest

from accounts.tests.factories import CityFactory, CustomerFactory, ProviderFactory
from booking.models import BookingStatus
from catalog.tests.factories import ServiceFactory
from demo import bookings as booking_demo
from demo import reviews as demo
from reviews import selectors
from reviews.models import Review, ReviewReply

pytestmark = pytest.mark.django_db


def test_demo_reviews_cover_each_finished_job_once_and_keep_the_figures_right(now):
    city = CityFactory(time_zone="America/Chicago")
    providers = []
    for _ in range(3):
        provider = ProviderFactory().provider_profile
        provider.cities.add(city)
        ServiceFactory(provider=provider, duration_minutes=90)
        providers.append(provider)
    booking_demo.seed_schedules(providers, random.Random(1))
    customer = CustomerFactory(email="customer@example.com")
    bookings = booking_demo.seed_bookings(customer, providers, random.Random(1))

    made = demo.seed_reviews(random.Random(1))
    again = demo.seed_reviews(random.Random(2))

    finished = {b.pk for b in bookings if b.status == BookingStatus.COMPLETED}
    assert finished and {review.booking_id for review in made} == finished
    assert again == []
    assert Review.objects.count() == len(finished)
    assert ReviewReply.objects.filter(review=made[0]).exists()
    assert all(review.created_at > review.booking.ends_at for review in made)
    assert selectors.rating_drift().drifts == []
