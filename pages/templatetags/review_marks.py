"""`{% awaiting_review bookings user as waiting %}`: which of a list's bookings `user` may
review now, by reviews' own rule (reviews.selectors.review_blocker), for booking's lists,
which may not import reviews. One query for the whole list, whatever its length."""

from django import template
from django.db.models import Prefetch, prefetch_related_objects

from reviews.models import Review
from reviews.selectors import review_blocker

register = template.Library()


@register.simple_tag
def awaiting_review(bookings, user) -> set[int]:
    bookings = list(bookings)
    completed = [booking for booking in bookings if booking.status == "COMPLETED"]
    if not completed:
        return set()
    # Fetched once here; review_blocker then finds each booking's review already read.
    prefetch_related_objects(
        completed, Prefetch("review", queryset=Review.objects.select_related("reply"))
    )
    return {booking.pk for booking in completed if review_blocker(booking, user) is None}
