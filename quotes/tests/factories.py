"""Quote requests made through quotes.services, as customers and providers make them."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.tests.factories import CustomerFactory
from booking.tests.factories import bookable_service
from catalog.models import PricingType, Service
from quotes import services


def quotable_service(*, quote_only=True, **kwargs):
    """A bookable service that takes quote requests: price on quote unless told."""
    if quote_only:
        return bookable_service(pricing_type=PricingType.QUOTE, **kwargs)
    service = bookable_service(**kwargs)
    # Not yet among catalog.models.SERVICE_FIELDS (the service form's), so set directly.
    Service.objects.filter(pk=service.pk).update(offers_quotes=True)
    service.refresh_from_db()
    return service


def requested(*, service=None, customer=None, **fields):
    service = service or quotable_service()
    return services.request_quote(
        customer=customer or CustomerFactory(),
        service=service,
        description=fields.pop("description", "Replace the kitchen tap and fix a leak."),
        city=fields.pop("city", None) or service.provider.cities.first(),
        preferred_times=fields.pop("preferred_times", "Weekday mornings"),
        **fields,
    )


def quote_terms(**overrides):
    terms = {
        "pricing": "FIXED",
        "price": Decimal("240.00"),
        "duration_minutes": 120,
        "included": "Parts and labour",
        "valid_until": timezone.localdate() + timedelta(days=7),
    }
    return terms | overrides


def quoted(*, quote_request=None, **overrides):
    quote_request = quote_request or requested()
    return services.send_quote(
        quote_request=quote_request, by=quote_request.provider.user, **quote_terms(**overrides)
    )
