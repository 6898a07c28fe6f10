"""What the marketplace team sees and can do with bookings in Django admin."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import AdminFactory, CustomerFactory
from booking import services
from booking.models import BookingStatus

from .factories import BookingFactory, bookable_service, booking_input, local

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:booking_booking_changelist")


@pytest.fixture
def admin_client_for_role(client):
    client.force_login(AdminFactory())
    return client


def test_admins_list_bookings_with_a_constant_number_of_queries(now, admin_client_for_role):
    def queries_for_the_list():
        with CaptureQueriesContext(connection) as queries:
            response = admin_client_for_role.get(CHANGELIST)
        assert response.status_code == 200
        return len(queries), response.context["cl"].result_count

    BookingFactory(starts_at=local(2026, 3, 3, 10))
    queries_for_the_list()  # warm up the session and permission caches
    with_one = queries_for_the_list()
    for day in (4, 5, 6, 9, 10):
        BookingFactory(starts_at=local(2026, 3, day, 10))
    with_six = queries_for_the_list()

    assert (with_one[1], with_six[1]) == (1, 6)
    assert with_one[0] == with_six[0]


def test_admins_find_a_booking_by_reference_or_customer_email(now, admin_client_for_role):
    wanted = BookingFactory(customer=CustomerFactory(email="jo@example.com"))
    other = BookingFactory()

    by_email = admin_client_for_role.get(CHANGELIST, {"q": "jo@example.com"})
    by_reference = admin_client_for_role.get(CHANGELIST, {"q": wanted.booking_reference})

    for response in (by_email, by_reference):
        assert list(response.context["cl"].result_list) == [wanted]
    assert other.booking_reference not in by_email.content.decode()


def test_admins_filter_bookings_by_status(now, admin_client_for_role):
    pending = BookingFactory(starts_at=local(2026, 3, 3, 10))
    BookingFactory(starts_at=local(2026, 3, 4, 10), status=BookingStatus.CANCELLED)

    response = admin_client_for_role.get(CHANGELIST, {"status__exact": "PENDING"})

    assert list(response.context["cl"].result_list) == [pending]


def test_a_booking_page_shows_its_history_and_cannot_be_edited_or_deleted(
    now, admin_client_for_role
):
    service = bookable_service()
    booking = services.create_booking(**booking_input(service, local(2026, 3, 3, 10)))
    services.transition_booking(
        booking=booking, to_status=BookingStatus.CONFIRMED, by=service.provider.user
    )
    url = reverse("admin:booking_booking_change", args=[booking.pk])

    page = admin_client_for_role.get(url)
    admin_client_for_role.post(url, {"status": "COMPLETED"})
    delete = admin_client_for_role.get(reverse("admin:booking_booking_delete", args=[booking.pk]))

    assert page.status_code == 200
    assert list(page.context["inline_admin_formsets"][0].formset.queryset) == list(
        booking.history.all()
    )
    assert len(booking.history.all()) == 2
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert delete.status_code == 403


def test_cancelling_from_admin_goes_through_the_rules(now, admin_client_for_role):
    open_booking = BookingFactory(starts_at=local(2026, 3, 3, 10))
    finished = BookingFactory(starts_at=local(2026, 3, 1, 10), status=BookingStatus.COMPLETED)

    response = admin_client_for_role.post(
        CHANGELIST,
        {"action": "cancel_bookings", "_selected_action": [open_booking.pk, finished.pk]},
        follow=True,
    )

    open_booking.refresh_from_db()
    finished.refresh_from_db()
    assert (open_booking.status, finished.status) == (
        BookingStatus.CANCELLED,
        BookingStatus.COMPLETED,
    )
    assert open_booking.history.get().notes == "Cancelled by the marketplace team."
    shown = [str(m) for m in response.context["messages"]]
    assert (
        f"{finished.booking_reference}: This booking is completed; it can no longer change."
        in shown
    )
    assert "Cancelled 1 booking(s)." in shown


def test_customers_cannot_open_the_bookings_admin(client):
    client.force_login(CustomerFactory())

    response = client.get(CHANGELIST)

    assert response.status_code == 302
