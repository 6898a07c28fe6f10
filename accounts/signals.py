"""Housekeeping (a deleted document's file leaves the disk too) and the signal through which
accounts tells higher apps that a provider changed; no business rules here."""

from django.db import transaction
from django.dispatch import Signal


def delete_document_file(sender, instance, **kwargs):
    # Also on cascades (a provider's account deleted), which never call Model.delete();
    # after commit, so a rolled-back deletion keeps its file.
    name = instance.file.name
    if name:
        storage = instance.file.storage
        transaction.on_commit(lambda: storage.delete(name))


# Sent inside the transaction that changed what customers see of a provider: their
# verification status (`verification_changed=True`) or the cities they work in. accounts sits
# below catalog, so it announces the change and catalog keeps its listings in step, in the
# same transaction (catalog/receivers.py, connected in catalog/apps.py).
provider_listing_changed = Signal()  # provider=ServiceProviderProfile, verification_changed=bool
