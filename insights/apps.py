from django.apps import AppConfig


class InsightsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "insights"

    def ready(self):
        from catalog.signals import service_page_viewed

        from . import receivers

        service_page_viewed.connect(receivers.service_page_viewed)
