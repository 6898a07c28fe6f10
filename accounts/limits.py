"""Limits on what an account may hold, shared by the forms, the services and the admin."""

# A provider's cities travel onto every one of their listings and into the search indexes
# that cover the filters (catalog.models.LISTING_FILTER_COLUMNS): 4 bytes a city in an index
# entry capped at 2,704 bytes. Fifty is more than any one worker covers.
MAX_CITIES_PER_PROVIDER = 50
TOO_MANY_CITIES = f"Choose at most {MAX_CITIES_PER_PROVIDER} cities."
