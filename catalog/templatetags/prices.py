"""A service's price as people read it: `{{ service|price }}` is "$137" (fixed), "$75/hour"
(hourly) or "from $40" (price on quote: an indicative lowest price). The one place the
site words a listing's price; amounts come from core.money."""

from django import template

from catalog.models import PricingType
from core.money import format_money

register = template.Library()


def price_words(*, amount, currency: str, pricing_type: str) -> str:
    text = format_money(amount, currency)
    if pricing_type == PricingType.HOURLY:
        return f"{text}/hour"
    if pricing_type == PricingType.QUOTE:
        return f"from {text}"
    return text


@register.filter
def price(service) -> str:
    return price_words(
        amount=service.base_price, currency=service.currency, pricing_type=service.pricing_type
    )
