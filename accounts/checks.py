"""System checks: private documents must never sit where a web server or /media/ serves files."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security)
def check_private_media_root(app_configs=None, **kwargs):
    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    public = [settings.MEDIA_ROOT, settings.STATIC_ROOT, *settings.STATICFILES_DIRS]
    for root in (Path(p).resolve() for p in public if p):
        if private == root or root in private.parents or private in root.parents:
            return [
                Error(
                    f"PRIVATE_MEDIA_ROOT ({private}) overlaps a public directory ({root}).",
                    hint="Point PRIVATE_MEDIA_ROOT outside MEDIA_ROOT, STATIC_ROOT and static.",
                    id="accounts.E001",
                )
            ]
    return []
