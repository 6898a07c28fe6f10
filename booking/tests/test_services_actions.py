"""services.available_actions: the buttons pages offer come from the rules that decide the change."""

import pytest

from accounts.tests.factories import AdminFactory
from booking import services
from booking.services import BookingError

from .factories import BookingFactory, local
from .helpers import S

pytestmark = pytest.mark.django_db


def _offered(booking, person):
    return [
        (action.status, action.label, action.needs_reason)
        for action in services.available_actions(booking, person)
    ]


def test_a_provider_must_say_why_they_cancel_a_confirmed_job_and_a_customer_need_not(now):
    booking = BookingFactory(status=S.CONFIRMED, starts_at=local(2026, 3, 5, 10))

    # Three days ahead, the provider cannot start the job yet; an admin may, saying why.
    assert _offered(booking, booking.provider.user) == [(S.CANCELLED, "Cancel booking", True)]
    assert _offered(booking, booking.customer) == [(S.CANCELLED, "Cancel booking", False)]
    assert _offered(booking, AdminFactory()) == [
        (S.IN_PROGRESS, "Start job", True),
        (S.CANCELLED, "Cancel booking", False),
    ]


def test_a_list_of_requests_offers_accept_and_decline_and_nothing_once_answered(now):
    booking = BookingFactory(starts_at=local(2026, 3, 5, 10))
    provider = booking.provider.user

    assert [a.row_label for a in services.quick_actions(booking, provider)] == ["Accept", "Decline"]
    services.transition_booking(booking=booking, to_status=S.CONFIRMED, by=provider)
    assert services.quick_actions(booking, provider) == []


@pytest.mark.parametrize("status", [S.PENDING, S.CONFIRMED, S.IN_PROGRESS])
@pytest.mark.parametrize("who", ["customer", "provider", "admin"])
def test_an_offered_action_goes_through_once_any_reason_it_needs_is_given(now, status, who):
    first = BookingFactory(status=status, starts_at=local(2026, 3, 5, 10))
    person = {"customer": first.customer, "provider": first.provider.user, "admin": AdminFactory()}

    for day, action in enumerate(services.available_actions(first, person[who]), start=6):
        booking = BookingFactory(
            service=first.service,
            customer=first.customer,
            status=status,
            starts_at=local(2026, 3, day, 10),
        )
        if action.needs_reason:
            with pytest.raises(BookingError) as refused:
                services.transition_booking(
                    booking=booking, to_status=action.status, by=person[who], notes=""
                )
            assert refused.value.field == "notes"
        services.transition_booking(
            booking=booking,
            to_status=action.status,
            by=person[who],
            notes="Change of plans" if action.needs_reason else "",
        )
        booking.refresh_from_db()
        assert booking.status == action.status
