from decimal import Decimal

import pytest

from accounts.tests.factories import CityFactory, CustomerFactory
from booking import services

from .factories import bookable_service, booking_input, local
from .helpers import TUESDAY_10

# Monday 2 March 2026, 7:00 in Chicago (CST, UTC-6): the week before daylight saving starts.
MONDAY_MORNING = local(2026, 3, 2, 7)


@pytest.fixture
def now(time_machine):
    """Freeze the clock at MONDAY_MORNING; tests move it with time_machine.move_to."""
    time_machine.move_to(MONDAY_MORNING, tick=False)
    return MONDAY_MORNING


# The booking API test modules' fixtures (test_views.py has a service and a customer of its own).
@pytest.fixture
def austin():
    return CityFactory(name="Austin", state="TX")


@pytest.fixture
def service(now, austin):
    """Monday to Friday 9:00-17:00 in Chicago, one hour, $120, serving Austin."""
    return bookable_service(city=austin, base_price=Decimal("120.00"), duration_minutes=60)


@pytest.fixture
def customer():
    return CustomerFactory(email="rosa@example.com", first_name="Rosa", last_name="Diaz")


@pytest.fixture
def request_for_tuesday(service, customer):
    """A PENDING request of `customer` for Tuesday 10:00, made through the service layer."""
    return services.create_booking(**booking_input(service, TUESDAY_10, customer=customer))
