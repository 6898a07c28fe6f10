"""Photos of providers and their services: one row per photo, its private original and the
resized public copies it is owed or has.

The row is the outbox: `variants_owed` says copies are still to be built from the current
original (photos.services.build_variants, run by a Huey job after commit and by the
sweeper for whatever stays owed); `variants` lists the copies pages may show.
"""

from django.db import models

from accounts.models import ServiceProviderProfile
from catalog.models import Service
from core.images import Variant


class Photo(models.Model):
    provider = models.ForeignKey(
        ServiceProviderProfile, on_delete=models.CASCADE, related_name="photos"
    )
    # None: the provider's own photo or logo (one each), shown on their page and as the
    # picture of services that have none.
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    alt_text = models.CharField(
        max_length=200, help_text="What the photo shows, read aloud to people who cannot see it."
    )
    position = models.PositiveSmallIntegerField(default=0)
    # The cleaned upload (no EXIF) in STORAGES["private"]: never given a URL.
    original_name = models.CharField(max_length=255, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    # Bumped when the original is replaced, so a build of an older original is discarded.
    version = models.PositiveIntegerField(default=1, editable=False)
    variants = models.JSONField(default=list, blank=True, editable=False)
    variants_owed = models.BooleanField(default=True, editable=False)
    build_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    last_error = models.CharField(max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [
            # A page's cards read their services' photos (and providers' own) at once.
            models.Index(fields=["service", "position", "id"], name="photo_service_order_idx"),
            models.Index(
                fields=["provider"],
                name="photo_provider_own_idx",
                condition=models.Q(service__isnull=True),
            ),
            # The sweeper's scan: only rows still owed.
            models.Index(
                fields=["updated_at"],
                name="photo_variants_owed_idx",
                condition=models.Q(variants_owed=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["provider"],
                condition=models.Q(service__isnull=True),
                name="photos_one_own_photo_per_provider",
            ),
        ]

    def __str__(self):
        return self.alt_text

    @property
    def is_profile_photo(self) -> bool:
        return self.service_id is None

    @property
    def stored_variants(self) -> list[Variant]:
        return [Variant.from_dict(item) for item in self.variants]

    @property
    def is_ready(self) -> bool:
        """Pages can show it: copies exist (possibly of the previous original)."""
        return bool(self.variants)
