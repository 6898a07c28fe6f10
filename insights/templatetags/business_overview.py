"""The provider's overview on their dashboard home (/me/): accounts' page shows it through
this tag, since accounts sits below booking and insights (tests/test_layers.py)."""

from django import template

from insights import selectors

register = template.Library()


@register.inclusion_tag("insights/includes/overview.html", takes_context=True)
def business_overview(context, user):
    if not getattr(user, "is_provider", False):
        return {"overview": None}
    return {
        "overview": selectors.overview(user.provider_profile),
        "request": context.get("request"),
    }
