"""Shared by the catalog API test modules: the services endpoint, a service's URL, ids."""

SERVICES = "/api/services/"


def service_url(service_or_id):
    return f"{SERVICES}{getattr(service_or_id, 'pk', service_or_id)}/"


def ids(response):
    return [service["id"] for service in response.json()["results"]]
