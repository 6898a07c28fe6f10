"""A provider's private notes on a customer of theirs (gate code, pets): read and written by
that provider only, never shown to the customer or to another provider."""

from django.conf import settings
from django.db import models

from accounts.models import ServiceProviderProfile

NOTE_MAX_LENGTH = 2000


class ClientNote(models.Model):
    provider = models.ForeignKey(
        ServiceProviderProfile, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(max_length=NOTE_MAX_LENGTH, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "customer"], name="clients_note_once")
        ]

    def __str__(self):
        return f"Note of {self.provider_id} on {self.customer_id}"
