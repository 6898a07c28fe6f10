"""The next free time on cards and service pages: the booking steps' first slot, cached per
provider, and never a time that can no longer be booked."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse

from booking import next_free, services
from booking.models import BookingStatus
from catalog.models import PricingType

from .factories import bookable_service, booking_input, local

pytestmark = pytest.mark.django_db


def _book(service, starts_at, django_capture_on_commit_callbacks, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        return services.create_booking(**booking_input(service, starts_at, **fields))


def test_the_next_free_time_is_the_first_slot_the_steps_offer(service, now):
    found = next_free.next_free_of(service)
    assert found.starts_at == local(2026, 3, 2, 9)
    assert found.day_words() == "today"
    assert found.step_url == (
        reverse("booking:book_details", args=[service.pk])
        + "?date=2026-03-02&time=09%3A00&offset=-0600"
    )


def test_after_the_shown_slot_is_booked_the_next_one_shows(
    service, now, customer, django_capture_on_commit_callbacks
):
    assert next_free.next_free_of(service).starts_at == local(2026, 3, 2, 9)
    _book(service, local(2026, 3, 2, 9), django_capture_on_commit_callbacks, customer=customer)
    assert next_free.next_free_of(service).starts_at == local(2026, 3, 2, 10)


def test_a_cancelled_booking_frees_its_time_again(
    service, now, customer, django_capture_on_commit_callbacks
):
    booking = _book(
        service, local(2026, 3, 2, 9), django_capture_on_commit_callbacks, customer=customer
    )
    assert next_free.next_free_of(service).starts_at == local(2026, 3, 2, 10)
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_booking(booking=booking, to_status=BookingStatus.CANCELLED, by=customer)
    assert next_free.next_free_of(service).starts_at == local(2026, 3, 2, 9)


def test_time_off_and_hours_move_it(service, now, django_capture_on_commit_callbacks):
    provider = service.provider
    with django_capture_on_commit_callbacks(execute=True):
        services.add_time_off(
            provider=provider, start_date=date(2026, 3, 2), end_date=date(2026, 3, 3)
        )
    assert next_free.next_free_of(service).starts_at == local(2026, 3, 4, 9)
    with django_capture_on_commit_callbacks(execute=True):
        services.set_weekly_availability(provider=provider, intervals=[(4, time(13), time(15))])
    assert next_free.next_free_of(service).starts_at == local(2026, 3, 6, 13)
    assert next_free.next_free_of(service).day_words() == "Friday"


def test_a_cached_time_is_read_without_a_query(service, now, django_assert_num_queries):
    next_free.next_free_of(service)
    with django_assert_num_queries(0):
        assert next_free.next_free_of(service).starts_at == local(2026, 3, 2, 9)


def test_a_cached_time_is_not_offered_once_the_notice_reaches_it(service, now, time_machine):
    assert next_free.next_free_of(service).starts_at == local(2026, 3, 2, 9)
    time_machine.move_to(local(2026, 3, 2, 9, 5), tick=False)
    assert next_free.next_free_of(service).starts_at == local(2026, 3, 2, 9, 30)


def test_many_providers_are_computed_in_constant_queries(now, django_assert_num_queries):
    served = [bookable_service() for _ in range(6)]
    # Schedules, weekly hours, days off, bookings.
    with django_assert_num_queries(4):
        found = next_free.next_free_for(served)
    assert {f.starts_at for f in found.values()} == {local(2026, 3, 2, 9)}


def test_a_quote_only_service_has_no_next_free_time(now):
    quoted = bookable_service(pricing_type=PricingType.QUOTE)
    assert next_free.next_free_for([quoted]) == {}


def test_a_full_horizon_says_so(now):
    closed = bookable_service(hours=[], max_advance_days=5)
    assert next_free.next_free_for([closed]) == {closed.pk: None}


def test_the_card_shows_the_next_free_time_and_follows_a_booking(
    client, service, now, customer, django_capture_on_commit_callbacks
):
    page = client.get(reverse("catalog:search")).content.decode()
    assert "Next free: today 09:00" in page
    assert "?date=2026-03-02&amp;time=09%3A00&amp;offset=-0600" in page

    _book(service, local(2026, 3, 2, 9), django_capture_on_commit_callbacks, customer=customer)

    page = client.get(reverse("catalog:search")).content.decode()
    assert "Next free: today 10:00" in page
    category_page = client.get(service.category.get_absolute_url()).content.decode()
    assert "Next free: today 10:00" in category_page
    service_page = client.get(service.get_absolute_url()).content.decode()
    assert "Next free: today 10:00" in service_page


def test_the_cached_category_page_follows_a_booking_too(
    client, service, now, customer, django_capture_on_commit_callbacks
):
    url = service.category.get_absolute_url()
    assert "Next free: today 09:00" in client.get(url).content.decode()
    assert "Next free: today 09:00" in client.get(url).content.decode()  # its cached HTML
    _book(service, local(2026, 3, 2, 9), django_capture_on_commit_callbacks, customer=customer)
    assert "Next free: today 10:00" in client.get(url).content.decode()


def test_the_link_opens_that_slots_step(client, service, now, customer):
    found = next_free.next_free_of(service)
    client.force_login(customer)
    page = client.get(found.step_url)
    assert page.status_code == 200
    assert "Monday 2 March" in page.content.decode() or "09:00" in page.content.decode()


def test_cards_say_where_the_provider_works(client, service, now):
    from accounts.tests.factories import CityFactory

    service.provider.cities.add(CityFactory(name="Round Rock", state="TX"))
    page = client.get(reverse("catalog:search")).content.decode()
    assert "Austin · Round Rock" in page


def test_tomorrow_reads_tomorrow(service, now, time_machine):
    time_machine.move_to(local(2026, 3, 2, 18), tick=False)
    assert next_free.next_free_of(service).day_words() == "tomorrow"
    assert next_free.next_free_of(service).starts_at - local(2026, 3, 3, 9) == timedelta(0)
