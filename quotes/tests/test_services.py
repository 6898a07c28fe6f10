from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from accounts.tests.factories import CityFactory, CustomerFactory, ProviderFactory
from booking import selectors as booking_selectors
from booking import services as booking_services
from booking.models import Booking, BookingStatus
from booking.tests.factories import bookable_service, booking_input
from notifications.models import Notification, NotificationKind
from quotes import services
from quotes.models import QuoteEventKind, QuoteRequest, QuoteStatus
from tests.concurrency import race

from .factories import quotable_service, quote_terms, quoted, requested

pytestmark = pytest.mark.django_db


def free_day_slots(quote_request):
    day = timezone.localdate() + timedelta(days=1)
    for offset in range(14):
        slots = booking_selectors.free_slots(
            service=quote_request.service,
            date=day + timedelta(days=offset),
            duration_minutes=quote_request.duration_minutes,
        )
        if slots:
            return slots
    raise AssertionError("no free slot in two weeks")


def first_free_slot(quote_request):
    return free_day_slots(quote_request)[0]


def accept(quote_request, starts_at=None, **overrides):
    return services.accept_quote(
        quote_request=quote_request,
        customer=overrides.pop("customer", quote_request.customer),
        starts_at=starts_at or first_free_slot(quote_request),
        service_address="12 Elm Street",
        service_postal_code="78701",
        **overrides,
    )


def kinds(user):
    return set(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


# --- Who may request and quote --------------------------------------------------------------


def test_a_customer_requests_a_quote_and_the_provider_is_told():
    quote_request = requested()

    assert quote_request.status == QuoteStatus.REQUESTED
    assert quote_request.reference.startswith("Q-")
    assert NotificationKind.QUOTE_REQUESTED in kinds(quote_request.provider.user)
    assert [e.kind for e in quote_request.history.all()] == [QuoteEventKind.REQUESTED]


def test_a_provider_cannot_request_a_quote():
    with pytest.raises(services.NotYourQuote):
        requested(customer=ProviderFactory())


def test_a_service_booked_at_its_price_only_takes_no_quote_requests():
    with pytest.raises(services.QuoteError) as refused:
        requested(service=bookable_service())
    assert refused.value.field == "service"


def test_a_priced_service_that_offers_quotes_takes_requests():
    assert requested(service=quotable_service(quote_only=False)).status == QuoteStatus.REQUESTED


def test_the_city_must_be_one_the_provider_serves():
    with pytest.raises(services.QuoteError) as refused:
        requested(city=CityFactory(name="Elsewhere"))
    assert refused.value.field == "city"
    assert QuoteRequest.objects.count() == 0


def test_an_empty_description_is_refused_by_name():
    with pytest.raises(services.QuoteError) as refused:
        requested(description="   ")
    assert refused.value.field == "description"


def test_only_the_provider_asked_may_quote():
    quote_request = requested()
    other = ProviderFactory()

    with pytest.raises(services.NotYourQuote):
        services.send_quote(quote_request=quote_request, by=other, **quote_terms())
    with pytest.raises(services.NotYourQuote):
        services.send_quote(quote_request=quote_request, by=quote_request.customer, **quote_terms())


# --- Quoting, changing, declining, withdrawing ----------------------------------------------


def test_a_quote_is_sent_to_the_customer_with_its_terms():
    quote_request = quoted(pricing="HOURLY", price=Decimal("60"), estimated_hours=Decimal("3.5"))

    assert quote_request.status == QuoteStatus.QUOTED
    assert quote_request.estimated_total == Decimal("210.00")
    notification = Notification.objects.get(
        recipient=quote_request.customer, kind=NotificationKind.QUOTE_SENT
    )
    assert "$60 per hour, about 3.5 hours ($210)" in notification.title


def test_an_hourly_quote_needs_its_estimated_hours():
    with pytest.raises(services.QuoteError) as refused:
        quoted(pricing="HOURLY", estimated_hours=None)
    assert refused.value.field == "estimated_hours"


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({"price": Decimal("0")}, "price"),
        ({"price": "abc"}, "price"),
        ({"duration_minutes": 50}, "duration_minutes"),
        ({"included": ""}, "included"),
        ({"valid_until": timezone.localdate() - timedelta(days=1)}, "valid_until"),
        ({"valid_until": timezone.localdate() + timedelta(days=365)}, "valid_until"),
        ({"pricing": "DAILY"}, "pricing"),
    ],
)
def test_bad_terms_are_refused_by_name_and_nothing_is_written(terms, field):
    quote_request = requested()
    with pytest.raises(services.QuoteError) as refused:
        quoted(quote_request=quote_request, **terms)
    assert refused.value.field == field
    quote_request.refresh_from_db()
    assert quote_request.status == QuoteStatus.REQUESTED
    assert quote_request.history.count() == 1


def test_changing_a_quote_keeps_the_old_terms_in_its_history():
    quote_request = quoted(price=Decimal("240"))
    services.send_quote(
        quote_request=quote_request, by=quote_request.provider.user, **quote_terms(price="199")
    )

    history = list(quote_request.history.all())
    assert [e.kind for e in history] == ["REQUESTED", "QUOTED", "CHANGED"]
    assert [e.price for e in history[1:]] == [Decimal("240.00"), Decimal("199.00")]
    assert NotificationKind.QUOTE_CHANGED in kinds(quote_request.customer)


def test_the_provider_declines_with_a_reason():
    quote_request = requested()
    with pytest.raises(services.QuoteError):
        services.decline_quote_request(
            quote_request=quote_request, by=quote_request.provider.user, reason=""
        )
    services.decline_quote_request(
        quote_request=quote_request, by=quote_request.provider.user, reason="Too far away"
    )

    assert quote_request.status == QuoteStatus.DECLINED
    assert NotificationKind.QUOTE_DECLINED in kinds(quote_request.customer)


def test_declined_withdrawn_and_expired_quotes_cannot_be_accepted():
    declined = quoted()
    services.decline_quote_request(quote_request=declined, by=declined.provider.user, reason="No")
    withdrawn = quoted()
    services.withdraw_quote(quote_request=withdrawn, by=withdrawn.provider.user)
    expired = quoted(valid_until=timezone.localdate())
    services.expire_due_quotes(now=timezone.now() + timedelta(days=2))
    not_yet = requested()

    for quote_request in (declined, withdrawn, expired, not_yet):
        with pytest.raises(services.QuoteClosed):
            accept(quote_request, starts_at=timezone.now() + timedelta(days=3))
    assert Booking.objects.count() == 0


def test_a_quote_past_its_validity_is_refused_before_the_sweep_marks_it():
    quote_request = quoted(valid_until=timezone.localdate())
    with pytest.raises(services.QuoteClosed, match="expired"):
        accept(quote_request, now=timezone.now() + timedelta(days=2))


# --- Accepting ------------------------------------------------------------------------------


def test_accepting_books_at_the_quoted_price_and_duration():
    quote_request = quoted(price=Decimal("333.00"), duration_minutes=150)
    booking = accept(quote_request)

    assert booking.status == BookingStatus.PENDING
    assert (booking.base_price, booking.estimated_total, booking.pricing_type) == (
        Decimal("333.00"),
        Decimal("333.00"),
        "FIXED",
    )
    assert booking.quote_reference == quote_request.reference
    assert booking.ends_at - booking.starts_at == timedelta(minutes=150)
    quote_request.refresh_from_db()
    assert (quote_request.status, quote_request.booking_id) == (QuoteStatus.ACCEPTED, booking.pk)
    assert NotificationKind.QUOTE_ACCEPTED in kinds(quote_request.provider.user)
    # The booking's own lifecycle: the provider confirms it as any request.
    booking_services.transition_booking(
        booking=booking, to_status=BookingStatus.CONFIRMED, by=quote_request.provider.user
    )


def test_an_hourly_quote_books_its_rate_and_estimated_total():
    quote_request = quoted(pricing="HOURLY", price=Decimal("50"), estimated_hours=Decimal("2.25"))
    booking = accept(quote_request)

    assert (booking.pricing_type, booking.base_price, booking.estimated_total) == (
        "HOURLY",
        Decimal("50.00"),
        Decimal("112.50"),
    )


def test_the_proposed_slot_is_booked_when_still_free():
    quote_request = requested()
    slot = first_free_slot(quoted(quote_request=quote_request))
    quote_request = quoted(quote_request=quote_request, proposed_start=slot, price="250")

    booking = accept(quote_request, starts_at=slot)
    assert booking.starts_at == slot


def test_a_taken_slot_is_refused_with_the_next_free_times_and_nothing_written():
    quote_request = quoted()
    slot = first_free_slot(quote_request)
    # The provider's time is theirs whichever service books it.
    other_service = bookable_service(provider=quote_request.provider)
    booking_services.create_booking(**booking_input(other_service, slot))

    with pytest.raises(booking_services.SlotTaken) as taken:
        accept(quote_request, starts_at=slot)
    assert taken.value.next_slots
    quote_request.refresh_from_db()
    assert quote_request.status == QuoteStatus.QUOTED


def test_a_price_on_quote_service_cannot_be_booked_directly():
    service = quotable_service()
    with pytest.raises(booking_services.BookingError) as refused:
        booking_services.create_booking(
            **booking_input(service, timezone.now() + timedelta(days=3))
        )
    assert "request a quote" in refused.value.message


def test_only_the_customer_who_asked_may_accept():
    quote_request = quoted()
    with pytest.raises(services.NotYourQuote):
        accept(quote_request, customer=CustomerFactory())


def test_accepting_twice_makes_one_booking():
    quote_request = quoted()
    booking = accept(quote_request)
    with pytest.raises(services.AlreadyAccepted) as again:
        accept(quote_request)
    assert again.value.booking == booking


@pytest.mark.django_db(transaction=True)
def test_a_double_accept_raced_from_two_threads_makes_one_booking():
    quote_request = quoted()
    slots = free_day_slots(quote_request)
    slot, later = slots[0], slots[-1]

    def accept_at(starts_at):
        return lambda: accept(QuoteRequest.objects.get(pk=quote_request.pk), starts_at=starts_at)

    # Two different times, so the exclusion constraint cannot be what stops the second.
    results = race([accept_at(slot), accept_at(later)], what="an accept")

    bookings = [r for r in results if isinstance(r, Booking)]
    refused = [r for r in results if isinstance(r, services.AlreadyAccepted)]
    assert (len(bookings), len(refused)) == (1, 1), results
    assert Booking.objects.filter(quote_reference=quote_request.reference).count() == 1
    assert connection.vendor == "postgresql"


# --- Expiry ---------------------------------------------------------------------------------


def test_the_sweep_expires_quotes_past_their_validity_and_tells_both_sides():
    due = quoted(valid_until=timezone.localdate())
    later = quoted(valid_until=timezone.localdate() + timedelta(days=5))

    count = services.expire_due_quotes(now=timezone.now() + timedelta(days=2))

    assert count == 1
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, later.status) == (QuoteStatus.EXPIRED, QuoteStatus.QUOTED)
    assert due.history.last().kind == QuoteEventKind.EXPIRED
    assert NotificationKind.QUOTE_EXPIRED in kinds(due.customer)
    assert NotificationKind.QUOTE_EXPIRED in kinds(due.provider.user)
    assert services.expire_due_quotes(now=timezone.now() + timedelta(days=2)) == 0


def test_the_expiry_task_runs_the_sweep():
    from quotes.tasks import expire_due_quotes

    quoted(valid_until=timezone.localdate() - timedelta(days=0))
    # Due only once the provider's day has ended: nothing yet.
    assert expire_due_quotes.call_local() == 0
