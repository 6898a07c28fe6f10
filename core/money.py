"""Amounts of money as people read them, in the amount's currency and the site's locale:
"$137", "$137.50", "€75" (Babel's CLDR data; no hand-made currency tables). Whole amounts
drop the cents; others show the currency's own digits. The JSON API keeps its decimal
strings: this is for people, on pages and in emails."""

from decimal import Decimal
from functools import lru_cache

from babel.numbers import format_currency
from django.conf import settings
from django.utils.translation import to_locale


def site_locale() -> str:
    return to_locale(settings.LANGUAGE_CODE)  # "en-us" -> "en_US"


def format_money(amount, currency: str, *, locale: str | None = None) -> str:
    """`amount` (Decimal, int, str) in `currency` (ISO 4217) for people to read."""
    if amount is None or amount == "":
        return ""
    return _formatted(str(amount), currency, locale or site_locale())


# Babel reads the locale's patterns on every call (a third of a millisecond, twenty times on
# a page of cards); the same price in the same currency always reads the same.
@lru_cache(maxsize=8192)
def _formatted(amount: str, currency: str, locale: str) -> str:
    value = Decimal(amount)
    if value == value.to_integral_value():
        return format_currency(
            value, currency, format="¤#,##0", locale=locale, currency_digits=False
        )
    return format_currency(value, currency, locale=locale)
