from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self):
        from django.db.models.signals import post_delete

        from . import checks  # noqa: F401  (registers the system checks)
        from .models import VerificationDocument
        from .signals import delete_document_file

        post_delete.connect(delete_document_file, sender=VerificationDocument)

        # A new password ends every API session of the account (docs/accounts.md#api-tokens).
        from allauth.account import signals as allauth_signals

        from .tokens import revoke_api_sessions_on_password_change

        for name in ("password_changed", "password_set", "password_reset"):
            getattr(allauth_signals, name).connect(
                revoke_api_sessions_on_password_change, dispatch_uid=f"revoke-api-sessions-{name}"
            )

        # allauth loads cryptography lazily and then reaches for `serialization` as an
        # attribute, which exists only once the submodule has been imported somewhere;
        # without this the first JWT of a fresh process can fail with AttributeError.
        import cryptography.hazmat.primitives.serialization  # noqa: F401
