"""What insights does when a lower app announces something: call the service, nothing more."""

from . import services


def service_page_viewed(sender, *, request, service, **kwargs):
    services.count_service_view(request, service)
