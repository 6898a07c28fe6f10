from decimal import Decimal

import factory

from accounts.tests.factories import ProviderFactory
from catalog import services
from catalog.models import PricingType, Service, ServiceCategory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCategory

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")

    @classmethod
    def _create(cls, model_class, **fields):
        return services.save_category(category=model_class(**fields))


class ServiceFactory(factory.django.DjangoModelFactory):
    """Services made through the service layer, so search data and listing flags are right."""

    class Meta:
        model = Service

    provider = factory.LazyFunction(lambda: ProviderFactory().provider_profile)
    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"Service {n}")
    short_description = "Done well and on time."
    description = ""
    pricing_type = PricingType.FIXED
    base_price = Decimal("120.00")
    duration_minutes = 60
    is_active = True

    @classmethod
    def _create(
        cls,
        model_class,
        *,
        provider,
        is_featured=False,
        rating_average=None,
        review_count=0,
        **fields,
    ):
        service = services.create_service(user=provider.user, **fields)
        if is_featured or rating_average is not None:
            # Figures that later features maintain; set directly for search tests.
            Service.objects.filter(pk=service.pk).update(
                is_featured=is_featured,
                rating_average=rating_average or 0,
                review_count=review_count,
            )
            service.refresh_from_db()
        return service
