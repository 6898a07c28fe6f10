"""Housekeeping only (no business rules): a deleted document's file leaves the disk too."""

from django.db import transaction


def delete_document_file(sender, instance, **kwargs):
    # Also on cascades (a provider's account deleted), which never call Model.delete();
    # after commit, so a rolled-back deletion keeps its file.
    name = instance.file.name
    if name:
        storage = instance.file.storage
        transaction.on_commit(lambda: storage.delete(name))
