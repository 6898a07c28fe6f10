"""Review settings with their defaults; override any of them as `REVIEWS_<NAME>` in settings.

Read at call time (`conf.EDIT_WINDOW_DAYS`), so a test's `settings` fixture takes effect.
"""

from core.app_settings import prefixed_settings

DEFAULTS = {
    # A customer may change their review for this many days after writing it: long enough
    # to fix a typo or update after a follow-up visit, short enough that ratings settle.
    "EDIT_WINDOW_DAYS": 14,
    # Reviews a page, on the service and provider pages and in the API.
    "PAGE_SIZE": 10,
}


__getattr__ = prefixed_settings(__name__, "REVIEWS", DEFAULTS)
