"""`{{ amount|money:currency }}`: core.money.format_money in templates (pages and emails)."""

from django import template

from core.money import format_money

register = template.Library()


@register.filter
def money(amount, currency):
    return format_money(amount, currency or "USD")
