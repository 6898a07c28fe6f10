"""Prices as people read them (core.money, catalog's `price` filter)."""

from decimal import Decimal

import pytest

from catalog.models import PricingType
from catalog.templatetags.prices import price_words
from core.money import format_money


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (Decimal("137.00"), "USD", "$137"),
        (Decimal("137.50"), "USD", "$137.50"),
        (Decimal("1250.00"), "USD", "$1,250"),
        (Decimal("75.00"), "EUR", "€75"),
        (Decimal("40"), "GBP", "£40"),
    ],
)
def test_amounts_read_as_people_write_them(amount, currency, expected):
    assert format_money(amount, currency) == expected


def test_the_three_kinds_of_price():
    assert (
        price_words(amount=Decimal("137.00"), currency="USD", pricing_type=PricingType.FIXED)
        == "$137"
    )
    assert (
        price_words(amount=Decimal("75.00"), currency="USD", pricing_type=PricingType.HOURLY)
        == "$75/hour"
    )
    assert (
        price_words(amount=Decimal("40.00"), currency="USD", pricing_type=PricingType.QUOTE)
        == "from $40"
    )


def test_another_locale_writes_its_own_way(settings):
    settings.LANGUAGE_CODE = "de-de"
    assert format_money(Decimal("1250.50"), "EUR") == "1.250,50\xa0€"
