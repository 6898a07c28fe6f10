"""Writes of clients: the provider's private note on a client."""

from django.db import transaction

from accounts.models import ServiceProviderProfile
from core.errors import InvalidInput, NotFound

from . import selectors
from .models import NOTE_MAX_LENGTH, ClientNote


@transaction.atomic
def save_client_note(
    *, provider: ServiceProviderProfile, customer_id: int, text: str
) -> ClientNote:
    """Keep `text` as the provider's note on a client of theirs (empty clears it); a customer
    who is not their client is not found."""
    if selectors.client_of(provider, customer_id) is None:
        raise NotFound("No such client.")
    text = (text or "").strip()
    if len(text) > NOTE_MAX_LENGTH:
        raise InvalidInput(f"A note holds at most {NOTE_MAX_LENGTH} characters.", field="text")
    note, _ = ClientNote.objects.select_for_update().get_or_create(
        provider=provider, customer_id=customer_id
    )
    note.text = text
    note.save(update_fields=["text", "updated_at"])
    return note
