"""Photo settings with their defaults; override any of them as `PHOTOS_<NAME>` in settings.

Read at call time (`conf.MAX_PER_SERVICE`), so a test's `settings` fixture takes effect. The
upload limits themselves (bytes, pixels) are core.images' IMAGE_* settings.
"""

from core.app_settings import prefixed_settings

DEFAULTS = {
    "MAX_PER_SERVICE": 8,
    # A photo whose variants are still owed this long after its last change is rebuilt by
    # the sweeper (its enqueue was lost, or the worker died mid-build).
    "SWEEP_AFTER_SECONDS": 60,
    "SWEEP_EVERY_MINUTES": 5,
    # How many times the sweeper tries one photo before leaving it to an admin.
    "MAX_ATTEMPTS": 5,
}


__getattr__ = prefixed_settings(__name__, "PHOTOS", DEFAULTS)
