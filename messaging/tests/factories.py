"""Conversations arranged through the service layer."""

from accounts.tests.factories import CustomerFactory
from booking.tests.factories import bookable_service
from catalog.tests.factories import ServiceFactory  # noqa: F401  (re-exported for tests)

from .. import services


def conversation(*, customer=None, service=None, messages=()):
    """A conversation between a customer and a verified provider, with `messages`
    ((sender "customer"/"provider", text) pairs) sent through the service."""
    service = service or bookable_service()
    customer = customer or CustomerFactory()
    thread = services.start_conversation(
        customer=customer, provider=service.provider, service=service
    )
    for side, text in messages:
        sender = customer if side == "customer" else service.provider.user
        services.send_message(conversation=thread, sender=sender, body=text)
    return thread
