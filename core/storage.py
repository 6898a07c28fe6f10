"""Where uploaded files live: on disk by default, in S3-compatible object storage when
S3_BUCKET is set (marketplace/settings.py builds STORAGES with `s3_storages`).

Two kinds of files, two storages:

- `default`: public media (avatars, service photos). On S3 every upload gets a name never
  used before and is written public-read with a year's `Cache-Control: immutable`, so its
  plain URL (on S3_MEDIA_DOMAIN, a CDN in front of the bucket, when set) can be cached
  anywhere forever.
- `private`: files only the app hands out, after its access checks (verification
  documents, message attachments): on disk under PRIVATE_MEDIA_ROOT, on S3 under their own
  prefix (or bucket) written private. They have no URL at all: views stream them.
"""

import secrets
from pathlib import PurePosixPath

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from storages.backends.s3 import S3Storage

PUBLIC_CACHE_CONTROL = "public, max-age=31536000, immutable"


class PublicMediaStorage(S3Storage):
    """Public-read objects under names used once, so a cached copy is never stale."""

    default_acl = "public-read"
    querystring_auth = False
    file_overwrite = False

    def get_object_parameters(self, name):
        return {"CacheControl": PUBLIC_CACHE_CONTROL} | super().get_object_parameters(name)

    def get_available_name(self, name, max_length=None):
        path = PurePosixPath(name)
        unique = str(path.with_name(f"{path.stem}-{secrets.token_hex(6)}{path.suffix}"))
        return super().get_available_name(unique, max_length=max_length)


class PrivateFileStorage(S3Storage):
    """Private objects: readable with the app's keys only, never given a URL."""

    default_acl = "private"
    querystring_auth = True
    file_overwrite = False

    def get_object_parameters(self, name):
        return {"CacheControl": "private, no-store"} | super().get_object_parameters(name)

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("Private files have no public URL; a view streams them after its checks.")


def s3_storages(
    *,
    bucket,
    private_bucket=None,
    endpoint_url=None,
    region_name=None,
    access_key=None,
    secret_key=None,
    media_domain=None,
):
    """STORAGES entries for public media and private files on S3-compatible storage."""
    common = {
        "endpoint_url": endpoint_url,
        "region_name": region_name,
        "access_key": access_key,
        "secret_key": secret_key,
        # Path-style (endpoint/bucket/key) works with every S3-compatible server.
        "addressing_style": "path" if endpoint_url else None,
    }
    return {
        "default": {
            "BACKEND": "core.storage.PublicMediaStorage",
            "OPTIONS": common
            | {"bucket_name": bucket, "location": "media", "custom_domain": media_domain},
        },
        "private": {
            "BACKEND": "core.storage.PrivateFileStorage",
            "OPTIONS": common | {"bucket_name": private_bucket or bucket, "location": "private"},
        },
    }


class PrivateStorage(LazyObject):
    """storages["private"], looked up when first used (and again after a test changes
    STORAGES), so a FileField can name it at import time."""

    def _setup(self):
        self._wrapped = storages["private"]


private_storage = PrivateStorage()


@receiver(setting_changed)
def _forget_private_storage(*, setting, **kwargs):
    if setting in {"STORAGES", "PRIVATE_MEDIA_ROOT"}:
        private_storage._wrapped = empty
