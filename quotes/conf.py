"""Quotes' settings (QUOTES_*), read when used so tests can override them."""

from core.app_settings import prefixed_settings

DEFAULTS = {
    # The longest a quote may stay valid, in the provider's local days from today.
    "MAX_VALIDITY_DAYS": 60,
    # How often the expiry sweep runs.
    "EXPIRY_JOB_EVERY_MINUTES": 15,
}

__getattr__ = prefixed_settings(__name__, "QUOTES", DEFAULTS)
