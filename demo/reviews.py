"""Demo reviews, for demo/seed.py to call after the bookings; idempotent like every step.

    from demo import reviews as review_demo
    review_demo.seed_reviews(random.Random(f"{self.seed}-reviews"))

The demo customer reviews each of their COMPLETED bookings through reviews.services (a day or
so after the job), and providers answer some, so figures, notifications and replies are real.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from booking.models import Booking, BookingStatus
from reviews import services
from reviews.models import SUB_RATINGS, Review

DEMO_CUSTOMER_EMAIL = "customer@example.com"

WORDS = {
    5: [
        (
            "Quick, tidy and friendly",
            "Arrived on time, explained what was wrong and left the place spotless.",
        ),
        ("Would book again", "Fair price, great work, and a follow-up call the next day."),
        (
            "Solved it in one visit",
            "Two others could not find the problem; this took under an hour.",
        ),
    ],
    4: [
        (
            "Good job, a little late",
            "The work is excellent; they arrived twenty minutes after the slot.",
        ),
        ("Solid work", "Did what was asked. I had to remind them to take the old parts away."),
    ],
    3: [
        ("Fine, but pricey", "The job is done, but the total felt high for the time it took."),
    ],
}
REPLIES = [
    "Thank you for having us! Call us any time.",
    "Thanks for the kind words, and for the parking spot.",
    "Thank you for the honest review; we have changed how we plan morning routes.",
]


def _sub_ratings(rating: int, rng) -> dict[str, int]:
    return {field: max(1, min(5, rating + rng.choice([-1, 0, 0, 1]))) for field in SUB_RATINGS}


def seed_reviews(rng, *, customer=None, now=None) -> list[Review]:
    """Review the demo customer's completed bookings that have no review yet; a provider
    replies to the first and to some others. Returns the reviews made (none on a re-run)."""
    now = now or timezone.now()
    if customer is None:
        customer = get_user_model().objects.filter(email=DEMO_CUSTOMER_EMAIL).first()
    if customer is None:
        return []
    bookings = (
        Booking.objects.filter(
            customer=customer, status=BookingStatus.COMPLETED, review__isnull=True
        )
        .select_related("service", "provider__user")
        .order_by("starts_at")
    )
    made = []
    for index, booking in enumerate(bookings):
        rating = rng.choice([5, 5, 5, 4, 4, 3])
        title, comment = rng.choice(WORDS[rating])
        written = min(booking.ends_at + timedelta(hours=rng.randint(3, 30)), now)
        review = services.submit_review(
            booking=booking,
            customer=customer,
            rating=rating,
            title=title,
            comment=comment,
            now=written,
            **_sub_ratings(rating, rng),
        )
        if index == 0 or rng.random() < 0.4:
            services.reply_to_review(
                review=review,
                provider_user=booking.provider.user,
                text=rng.choice(REPLIES),
                now=min(written + timedelta(hours=rng.randint(1, 20)), now),
            )
        made.append(review)
    return made
