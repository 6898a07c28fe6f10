from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"

    def ready(self):
        from .unavailable import fail_closed_allauth_rate_limits

        # Brute-force protection does not go on without its counts (docs/deploy.md).
        fail_closed_allauth_rate_limits()
