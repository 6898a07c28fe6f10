from django.apps import AppConfig


class CatalogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "catalog"

    def ready(self):
        from accounts.signals import provider_listing_changed

        from . import receivers

        provider_listing_changed.connect(receivers.provider_listing_changed)
