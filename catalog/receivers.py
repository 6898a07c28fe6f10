"""Catalog's answers to changes announced by lower apps; each calls one service."""

from . import cache as catalog_cache
from . import services


def provider_listing_changed(sender, *, provider, verification_changed, **kwargs):
    # Which cities have a verified provider may differ either way.
    catalog_cache.invalidate_cities()
    if verification_changed:
        services.sync_provider_listings(provider=provider)
    else:
        # The cities may be what changed; the profile's name and details show on every card
        # of the provider's services.
        services.sync_provider_cities(provider=provider)
        catalog_cache.invalidate_listings()
