"""A provider changing their cities while their services are written at the same moment, on
real PostgreSQL connections: every service ends up with the cities the provider serves."""

import pytest

from accounts.services import update_provider_profile
from accounts.tests.factories import CityFactory, ProviderFactory
from catalog.models import Service
from catalog.services import create_service, update_service
from tests.concurrency import race

from .factories import CategoryFactory, ServiceFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_services_written_while_the_cities_change_carry_the_new_cities():
    cities = [CityFactory(name=f"Town {n}") for n in range(4)]
    user = ProviderFactory()
    provider = user.provider_profile
    provider.cities.set(cities[:1])
    category = CategoryFactory()
    existing = [ServiceFactory(provider=provider, category=category) for _ in range(3)]

    for round_, served in enumerate((cities[1:3], cities[2:], cities[:2])):

        def new_service(n, round_=round_):
            return lambda: create_service(
                user=user,
                title=f"Job {round_}-{n}",
                category=category,
                base_price=50,
                duration_minutes=60,
            )

        def edit(service, round_=round_):
            fresh = Service.objects.get(pk=service.pk)
            return lambda: update_service(service=fresh, user=user, title=f"Edit {round_}")

        results = race(
            [
                lambda served=served: update_provider_profile(user=user, fields={}, cities=served),
                *(new_service(n) for n in range(3)),
                *(edit(service) for service in existing),
            ]
        )

        assert [r for r in results if isinstance(r, Exception)] == []
        wanted = sorted(city.pk for city in served)
        assert {tuple(s.city_ids) for s in Service.objects.filter(provider=provider)} == {
            tuple(wanted)
        }, f"round {round_}"
