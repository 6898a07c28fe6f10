from decimal import ROUND_HALF_UP, Decimal

from django import template

from reviews.models import MAX_RATING, Review

register = template.Library()


@register.inclusion_tag("reviews/includes/invitation.html")
def review_invitation(booking):
    """On a finished booking's page, for its customer: the invitation to review it, or
    their review (with the provider's reply) and whether they may still change it."""
    review = Review.objects.filter(booking=booking).select_related("reply").first()
    return {
        "booking": booking,
        "review": review,
        "can_edit": review is not None and review.is_editable(),
    }


@register.inclusion_tag("reviews/includes/stars.html")
def stars(value):
    """A rating as stars for the eye and as "4.5 out of 5" for screen readers."""
    filled = int(Decimal(value or 0).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return {"value": value, "glyphs": "★" * filled + "☆" * (MAX_RATING - filled)}
