"""Amounts of money as people read them, in the amount's currency and the site's locale:
"$137", "$137.50", "€75" (Babel's CLDR data; no hand-made currency tables). Whole amounts
drop the cents; others show the currency's own digits. The JSON API keeps its decimal
strings: this is for people, on pages and in emails."""

from decimal import Decimal

from babel.numbers import format_currency
from django.conf import settings
from django.utils.translation import to_locale


def site_locale() -> str:
    return to_locale(settings.LANGUAGE_CODE)  # "en-us" -> "en_US"


def format_money(amount, currency: str, *, locale: str | None = None) -> str:
    """`amount` (Decimal, int, str) in `currency` (ISO 4217) for people to read."""
    if amount is None or amount == "":
        return ""
    value = Decimal(str(amount))
    locale = locale or site_locale()
    if value == value.to_integral_value():
        return format_currency(
            value, currency, format="¤#,##0", locale=locale, currency_digits=False
        )
    return format_currency(value, currency, locale=locale)
