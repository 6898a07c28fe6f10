"""Catalog's answers to changes announced by lower apps; each calls one service."""

from . import cache as catalog_cache
from . import services


def provider_listing_changed(sender, *, provider, verification_changed, **kwargs):
    if verification_changed:
        services.sync_provider_listings(provider=provider)
    else:
        catalog_cache.invalidate_listings()  # the cities customers can filter by may differ
