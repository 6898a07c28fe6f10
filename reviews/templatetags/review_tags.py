from decimal import ROUND_HALF_UP, Decimal

from django import template

from reviews import selectors
from reviews.models import MAX_RATING

register = template.Library()


@register.inclusion_tag("reviews/includes/invitation.html", takes_context=True)
def review_invitation(context, booking):
    """On a finished booking's page, for its customer: the invitation to review it, or
    their review (with the provider's reply) and whether they may still change it. Nothing
    for anyone else, by the rule the review form and the services follow."""
    opening = selectors.review_opening(booking, context["request"].user)
    return {
        "booking": booking,
        "review": opening.review,
        "can_write": opening.can_write,
        "can_edit": opening.can_edit,
    }


@register.inclusion_tag("reviews/includes/stars.html")
def stars(value):
    """A rating as stars for the eye and as "4.5 out of 5" for screen readers."""
    filled = int(Decimal(value or 0).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return {"value": value, "glyphs": "★" * filled + "☆" * (MAX_RATING - filled)}


@register.simple_tag(takes_context=True)
def review_list_for(context, *, service=None, provider=None):
    """The page of reviews a service or provider page shows, in the order and page its
    address asks for (a sort or page link swaps only that list over HTMX)."""
    request = context["request"]
    return selectors.review_list(
        sort=request.GET.get("sort"),
        page=request.GET.get("page"),
        viewer=request.user,
        service=service,
        provider=provider,
    )
