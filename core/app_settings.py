"""An app's own settings with their defaults, read at call time so that a test's `settings`
fixture takes effect: `conf.EDIT_WINDOW_DAYS` is `settings.REVIEWS_EDIT_WINDOW_DAYS` when
set, else the default."""

from django.conf import settings


def prefixed_settings(module_name: str, prefix: str, defaults: dict):
    """A module `__getattr__` serving `defaults`, each overridable as `<prefix>_<NAME>`."""

    def __getattr__(name):
        if name in defaults:
            return getattr(settings, f"{prefix}_{name}", defaults[name])
        raise AttributeError(f"module {module_name!r} has no attribute {name!r}")

    return __getattr__
