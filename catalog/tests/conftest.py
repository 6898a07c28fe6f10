from decimal import Decimal

import pytest

from accounts.tests.factories import ProviderFactory
from tests.api_client import bearer

from .factories import ServiceFactory


# The catalog API test modules' fixtures (test_dashboard.py has a provider of its own).
@pytest.fixture
def provider():
    return ProviderFactory(email="joe@example.com", last_name="Pipes")


@pytest.fixture
def provider_auth(provider):
    return bearer(provider)


@pytest.fixture
def own_service(provider):
    return ServiceFactory(
        provider=provider.provider_profile,
        title="Leak repair",
        slug="leak-repair",
        base_price=Decimal("120.00"),
        duration_minutes=60,
        description="Any pipe.",
    )
