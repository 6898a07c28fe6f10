"""Where providers' verification documents are kept: STORAGES["private"], with no URL (a
private directory by default, a private S3 prefix when S3_BUCKET is set; core/storage.py)."""

import secrets

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


class PrivateDocumentStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, readable by the app's user only and never given a URL
    (STORAGES["private"] without S3).

    They are handed out by accounts.views.verification_document, which checks who asks.
    """

    def __init__(self):
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @cached_property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":  # tests point it at a temporary directory
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("Private documents have no public URL; link to the download view.")


def private_documents():
    """The storage of verification documents (a callable, so migrations refer to it by name)."""
    from core.storage import private_storage

    return private_storage


def random_document_name(extension: str) -> str:
    """An unguessable file name: the provider's own name is kept in the database only."""
    return f"verification/{secrets.token_urlsafe(32)}{extension}"
