from decimal import Decimal

import factory

from accounts.tests.factories import ProviderFactory
from catalog.models import PricingType, Service, ServiceCategory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCategory

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    provider = factory.LazyFunction(lambda: ProviderFactory().provider_profile)
    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"Service {n}")
    slug = factory.Sequence(lambda n: f"service-{n}")
    short_description = "Done well and on time."
    pricing_type = PricingType.FIXED
    base_price = Decimal("120.00")
    duration_minutes = 60
