"""The pages app's settings with their defaults; override any of them as `PAGES_<NAME>`.

Read at call time (`conf.CONTACT_RATE_LIMIT`), so a test's `settings` fixture takes effect.
"""

from core.app_settings import prefixed_settings

DEFAULTS = {
    # Contact-form messages one sender (their IP, and their account if signed in) may send:
    # plenty for a person, too few for a spam run to flood the team's inbox.
    "CONTACT_RATE_LIMIT": "5/h",
}


__getattr__ = prefixed_settings(__name__, "PAGES", DEFAULTS)
