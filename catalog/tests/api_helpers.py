"""Shared by the catalog API test modules: the services endpoint, a service's URL, ids."""

SERVICES = "/api/services/"


def service_url(service_or_id):
    return f"{SERVICES}{getattr(service_or_id, 'pk', service_or_id)}/"


def ids(response):
    return [service["id"] for service in response.json()["results"]]


def without_next_free_slot(body):
    """A service's detail as create and update answer it (they leave out the next free time)."""
    return {name: value for name, value in body.items() if name != "next_free_slot"}
