"""Review settings with their defaults; override any of them as `REVIEWS_<NAME>` in settings.

Read at call time (`conf.EDIT_WINDOW_DAYS`), so a test's `settings` fixture takes effect.
"""

from django.conf import settings

DEFAULTS = {
    # A customer may change their review for this many days after writing it: long enough
    # to fix a typo or update after a follow-up visit, short enough that ratings settle.
    "EDIT_WINDOW_DAYS": 14,
    # Reviews a page, on the service and provider pages and in the API.
    "PAGE_SIZE": 10,
}


def __getattr__(name):
    if name in DEFAULTS:
        return getattr(settings, f"REVIEWS_{name}", DEFAULTS[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
