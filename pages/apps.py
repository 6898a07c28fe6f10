from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The pages around the product: how it works, help, policies, contact, onboarding."""

    name = "pages"
    default_auto_field = "django.db.models.BigAutoField"
