"""Issue #15: a provider on their own service's page is told it is theirs, with a link to edit
it, instead of being offered to book it; the booking steps and the API refuse them."""

import pytest
from django.urls import reverse

from accounts.tests.factories import AdminFactory, CustomerFactory, ProviderFactory
from booking.models import Booking
from booking.tests.conftest import now  # noqa: F401  (the frozen Monday-morning clock)
from booking.tests.factories import bookable_service
from booking.tests.test_api_bookings_create import CREATE, booking_payload
from tests.api_client import assert_error, bearer, send

# The clock is the booking tests' Monday morning, so Tuesday 3 March 10:00 is bookable.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now")]

OWN_SERVICE = "This is your service"
CUSTOMER_ACCOUNTS_ONLY = "Bookings are made from a customer account."


@pytest.fixture
def service():
    """Monday to Friday 9:00-17:00 in Chicago, bookable from the `now` fixture's Monday."""
    return bookable_service(title="Leak repair")


def page(client, service) -> str:
    response = client.get(service.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def book_link(service) -> str:
    return f'href="{reverse("booking:book_date", args=[service.pk])}"'


def edit_link(service) -> str:
    return f'href="{reverse("catalog:service_edit", args=[service.pk])}"'


def test_the_provider_sees_their_own_service_with_an_edit_link_and_no_book_button(client, service):
    client.force_login(service.provider.user)

    body = page(client, service)

    assert OWN_SERVICE in body
    assert edit_link(service) in body
    assert book_link(service) not in body
    assert f"Book {service.provider.display_name}" not in body


@pytest.mark.parametrize(
    "visitor",
    [
        pytest.param(lambda: ProviderFactory(), id="another provider"),
        pytest.param(lambda: CustomerFactory(), id="a customer"),
        pytest.param(lambda: AdminFactory(), id="an admin"),
        pytest.param(lambda: None, id="anonymous"),
    ],
)
def test_everyone_else_is_offered_to_book_it(client, service, visitor):
    user = visitor()
    if user is not None:
        client.force_login(user)

    body = page(client, service)

    assert book_link(service) in body
    assert f"Book {service.provider.display_name}" in body
    assert OWN_SERVICE not in body
    assert edit_link(service) not in body


def test_the_edit_link_opens_the_providers_own_edit_page(client, service):
    client.force_login(service.provider.user)

    response = client.get(reverse("catalog:service_edit", args=[service.pk]))

    assert response.status_code == 200
    assert "Leak repair" in response.content.decode()


def test_the_api_refuses_the_provider_booking_their_own_service(client, service):
    response = send(
        client, "post", CREATE, booking_payload(service), **bearer(service.provider.user)
    )

    body = assert_error(response, 403)
    assert body["detail"] == "Only customer accounts can book services."
    assert not Booking.objects.exists()


def test_the_booking_steps_refuse_the_provider_and_store_nothing(client, service):
    client.force_login(service.provider.user)
    details = reverse("booking:book_details", args=[service.pk])
    review = reverse("booking:book_review", args=[service.pk])
    slot = {"date": "2026-03-03", "time": "10:00"}
    address = {
        "service_address": "12 Elm Street",
        "service_city": service.provider.cities.first().pk,
        "service_state": "TX",
        "service_postal_code": "78701",
        "estimated_duration_minutes": 60,
    }

    answers = [
        # Told at the first step, not after picking a day and a time.
        client.get(reverse("booking:book_date", args=[service.pk])),
        client.get(reverse("booking:book_time", args=[service.pk]), {"date": "2026-03-03"}),
        client.get(details, slot),
        client.post(f"{details}?date=2026-03-03&time=10:00", address),
        client.get(review),
        client.post(review),
    ]

    assert [answer.status_code for answer in answers] == [403] * 6
    assert all(CUSTOMER_ACCOUNTS_ONLY in answer.content.decode() for answer in answers)
    assert not Booking.objects.exists()
