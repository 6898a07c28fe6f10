"""A booking protects its service: deleting a service with bookings is refused with a clear
message, by the dashboard, the API and Django admin alike, and nothing is deleted (pausing
is the way to hide it). Each test fails if a booking stopped protecting its service."""

import pytest
from django.urls import reverse

from accounts.tests.factories import AdminFactory, SuperadminFactory
from booking import services
from booking.models import Booking, BookingStatus, BookingStatusHistory
from catalog.models import Service
from catalog.tests.factories import ServiceFactory
from tests.api_client import assert_error, bearer

pytestmark = pytest.mark.django_db

HAS_BOOKINGS = "This service has bookings, so it cannot be deleted. Pause it to hide it instead."


def shown_messages(response):
    return [str(message) for message in response.context["messages"]]


def assert_nothing_deleted(booking):
    assert Service.objects.filter(pk=booking.service_id).exists()
    assert Booking.objects.filter(pk=booking.pk).exists()
    assert BookingStatusHistory.objects.filter(booking_id=booking.pk).exists()


@pytest.fixture(params=[AdminFactory, SuperadminFactory], ids=["admin", "superadmin"])
def staff_client(request, client):
    client.force_login(request.param())
    return client


@pytest.fixture
def cancelled_booking(request_for_tuesday, customer):
    """A booking whose record is kept after it was called off."""
    return services.transition_booking(
        booking=request_for_tuesday, to_status=BookingStatus.CANCELLED, by=customer
    )


@pytest.mark.parametrize("booked", ["request_for_tuesday", "cancelled_booking"])
def test_the_dashboard_refuses_to_delete_a_service_with_bookings(client, booked, request):
    booking = request.getfixturevalue(booked)
    client.force_login(booking.service.provider.user)

    response = client.post(
        reverse("catalog:service_delete", args=[booking.service_id]), follow=True
    )

    assert response.redirect_chain == [(reverse("catalog:my_services"), 302)]
    assert shown_messages(response) == [HAS_BOOKINGS]
    assert_nothing_deleted(booking)


def test_the_api_refuses_to_delete_a_service_with_bookings_with_a_409(client, request_for_tuesday):
    booking = request_for_tuesday

    response = client.delete(
        f"/api/services/{booking.service_id}/", **bearer(booking.service.provider.user)
    )

    assert assert_error(response, 409)["detail"] == HAS_BOOKINGS
    assert_nothing_deleted(booking)


def test_admin_refuses_to_delete_a_service_with_bookings_and_names_them(
    staff_client, request_for_tuesday
):
    booking = request_for_tuesday
    url = reverse("admin:catalog_service_delete", args=[booking.service_id])

    asked = staff_client.get(url)
    confirmed = staff_client.post(url, {"post": "yes"})

    for response in (asked, confirmed):
        body = response.content.decode()
        assert response.status_code == 200
        assert shown_messages(response) == [HAS_BOOKINGS]
        assert "Cannot delete service" in body
        assert "would require deleting the following protected related objects" in body
        assert booking.booking_reference in body
    assert_nothing_deleted(booking)


def test_admins_bulk_delete_refuses_services_with_bookings_and_deletes_none(
    staff_client, request_for_tuesday
):
    booking = request_for_tuesday
    unbooked = ServiceFactory(provider=booking.service.provider, title="Never booked")

    response = staff_client.post(
        reverse("admin:catalog_service_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [booking.service_id, unbooked.pk],
            "post": "yes",
        },
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert shown_messages(response) == [HAS_BOOKINGS]
    assert "Cannot delete services" in body
    assert booking.booking_reference in body
    assert_nothing_deleted(booking)
    assert Service.objects.filter(pk=unbooked.pk).exists()
