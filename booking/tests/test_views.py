"""The booking pages as customers and providers use them."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import CityFactory, CustomerFactory, ProviderFactory
from booking import services
from booking.models import Booking, BookingStatus
from tests.api_client import bearer, send

from .factories import bookable_service, booking_input, local

pytestmark = pytest.mark.django_db

# now (fixture): Monday 2 March 2026, 07:00 Chicago. Tuesday 3 March at 10:00 is free.
TUESDAY = "2026-03-03"


@pytest.fixture
def service():
    return bookable_service(title="Leak repair", city=CityFactory(name="Austin"))


@pytest.fixture
def customer(client):
    user = CustomerFactory()
    client.force_login(user)
    return user


def details(service, **overrides):
    data = {
        "service_address": "12 Elm Street",
        "service_city": service.provider.cities.first().pk,
        "service_state": "TX",
        "service_postal_code": "78701",
        "estimated_duration_minutes": service.duration_minutes,
        "customer_notes": "Gate code 1234.",
    }
    return data | overrides


def walk_to_review(client, service, *, time="10:00"):
    client.get(reverse("booking:book_time", args=[service.pk]), {"date": TUESDAY})
    client.get(reverse("booking:book_details", args=[service.pk]), {"date": TUESDAY, "time": time})
    return client.post(reverse("booking:book_details", args=[service.pk]), details(service))


def test_only_days_with_free_time_are_links(client, now, service):
    body = client.get(reverse("booking:book_date", args=[service.pk])).content.decode()

    assert f'?date={TUESDAY}"' in body
    assert "?date=2026-03-07" not in body  # Saturday: closed
    assert "Sat" in body  # but shown, greyed out


def test_the_time_step_lists_free_slots_in_the_providers_time(client, now, service):
    body = client.get(
        reverse("booking:book_time", args=[service.pk]), {"date": TUESDAY}
    ).content.decode()

    assert f"?date={TUESDAY}&amp;time=09:00" in body
    assert ">16:00<" in body and ">17:00<" not in body


def test_htmx_steps_swap_only_the_step(client, now, service):
    response = client.get(
        reverse("booking:book_time", args=[service.pk]), {"date": TUESDAY}, HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert "<html" not in body
    assert body.strip().startswith('<section id="booking-step"')
    assert 'hx-push-url="true"' in body


def test_details_step_asks_anonymous_visitors_to_log_in(client, now, service):
    response = client.get(
        reverse("booking:book_details", args=[service.pk]), {"date": TUESDAY, "time": "10:00"}
    )

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_providers_cannot_book(client, now, service):
    client.force_login(ProviderFactory())

    response = client.get(
        reverse("booking:book_details", args=[service.pk]), {"date": TUESDAY, "time": "10:00"}
    )

    assert response.status_code == 403


def test_a_customer_books_through_every_step(
    client, now, customer, service, mailoutbox, django_capture_on_commit_callbacks
):
    review = walk_to_review(client, service)
    assert "Check and send your request" in review.content.decode()
    assert "Tue 3 March 2026, 10:00" in review.content.decode().replace("Tuesday", "Tue")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("booking:book_review", args=[service.pk]))

    booking = Booking.objects.get()
    assert response["Location"] == reverse("booking:detail", args=[booking.booking_reference])
    assert booking.status == BookingStatus.PENDING
    assert booking.local_starts_at == local(2026, 3, 3, 10)
    assert re.fullmatch(r"BK-[A-Z0-9]{4}-[A-Z0-9]{4}", booking.booking_reference)
    assert (booking.service_address, booking.customer_notes) == ("12 Elm Street", "Gate code 1234.")
    # The provider's request to answer, and the customer's receipt with its calendar file.
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [service.provider.user.email, customer.email]
    )
    assert all(booking.booking_reference in m.subject for m in mailoutbox)
    page = client.get(reverse("booking:my_bookings")).content.decode()
    assert booking.booking_reference in page


def test_the_booking_form_shares_the_apis_hourly_booking_limit(
    client, now, customer, service, settings
):
    # Regression: the site's form used to create bookings past the API's per-user limit.
    settings.API_RATE_LIMIT_BOOKING_CREATE = "1/h"
    api_try = send(
        Client(),
        "post",
        "/api/bookings/create/",
        {
            "service": service.pk,
            "scheduled_date": "2027-12-01",  # too far ahead: refused, but it counts
            "scheduled_time": "11:00",
            "service_address": "12 Elm Street",
            "service_city": service.provider.cities.first().slug,
            "service_postal_code": "78701",
        },
        **bearer(customer),
    )
    walk_to_review(client, service)

    response = client.post(reverse("booking:book_review", args=[service.pk]))

    assert api_try.status_code == 400
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert "a lot of booking requests" in response.content.decode()
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [
        ("/dashboard/bookings/", "/dashboard/bookings/"),
        ("https://evil.example/phish", None),
        ("//evil.example/phish", None),
    ],
)
def test_a_status_change_goes_back_only_to_a_page_of_this_site(
    client, now, service, next_url, lands_on
):
    # Regression: `next` was followed wherever it pointed (an open redirect).
    booking = services.create_booking(**booking_input(service, local(2026, 3, 3, 10)))
    client.force_login(service.provider.user)

    response = client.post(
        reverse("booking:change_status", args=[booking.booking_reference]),
        {"status": BookingStatus.CONFIRMED, "next": next_url},
    )

    assert response.status_code == 302
    assert response["Location"] == (lands_on or booking.get_absolute_url())


def test_going_back_keeps_what_was_entered(client, now, customer, service):
    walk_to_review(client, service)

    body = client.get(reverse("booking:book_details", args=[service.pk])).content.decode()

    assert 'value="12 Elm Street"' in body
    assert "Gate code 1234." in body


def test_details_are_prefilled_from_the_profile(client, now, customer, service):
    customer.profile.address = "7 Oak Road"
    customer.profile.city = "Austin"
    customer.profile.save()

    body = client.get(
        reverse("booking:book_details", args=[service.pk]), {"date": TUESDAY, "time": "10:00"}
    ).content.decode()

    assert 'value="7 Oak Road"' in body
    assert f'<option value="{service.provider.cities.first().pk}" selected>' in body


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"service_address": ""}, "This field is required."),
        ({"customer_notes": "x" * 1001}, "Ensure this value has at most 1000 characters"),
        ({"service_city": "999999"}, "Select a valid choice."),
    ],
)
def test_bad_details_show_errors_and_book_nothing(client, now, customer, service, overrides, error):
    client.get(
        reverse("booking:book_details", args=[service.pk]), {"date": TUESDAY, "time": "10:00"}
    )

    response = client.post(
        reverse("booking:book_details", args=[service.pk]), details(service, **overrides)
    )

    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Booking.objects.exists()


def test_a_city_the_provider_does_not_serve_is_not_offered(client, now, customer, service):
    elsewhere = CityFactory(name="Denver", state="CO")

    body = client.get(
        reverse("booking:book_details", args=[service.pk]), {"date": TUESDAY, "time": "10:00"}
    ).content.decode()

    assert "Denver" not in body
    assert f'value="{elsewhere.pk}"' not in body


def test_a_slot_taken_meanwhile_says_so_and_offers_the_next_ones(client, now, customer, service):
    walk_to_review(client, service)
    services.create_booking(**booking_input(service, local(2026, 3, 3, 10)))

    response = client.post(reverse("booking:book_review", args=[service.pk]))

    body = response.content.decode()
    assert response.status_code == 409
    assert "just taken" in body
    assert "Tue 3 Mar, 11:00" in body
    assert Booking.objects.count() == 1


def test_a_time_outside_working_hours_is_refused(client, now, customer, service):
    walk_to_review(client, service, time="20:00")

    response = client.post(reverse("booking:book_review", args=[service.pk]))

    assert response.status_code == 400
    assert not Booking.objects.exists()


def test_someone_elses_booking_is_not_found(client, now, service):
    booking = services.create_booking(**booking_input(service, local(2026, 3, 3, 10)))
    client.force_login(CustomerFactory())

    assert client.get(booking.get_absolute_url()).status_code == 404
    response = client.post(
        reverse("booking:change_status", args=[booking.booking_reference]), {"status": "CANCELLED"}
    )
    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PENDING


def test_another_provider_cannot_accept_a_request(client, now, service):
    booking = services.create_booking(**booking_input(service, local(2026, 3, 3, 10)))
    client.force_login(ProviderFactory())

    response = client.post(
        reverse("booking:change_status", args=[booking.booking_reference]), {"status": "CONFIRMED"}
    )

    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PENDING


def test_provider_accepts_inline_and_the_customer_is_told(
    client, now, service, mailoutbox, django_capture_on_commit_callbacks
):
    booking = services.create_booking(**booking_input(service, local(2026, 3, 3, 10)))
    client.force_login(service.provider.user)
    dashboard = client.get(reverse("booking:provider_dashboard")).content.decode()
    assert booking.booking_reference in dashboard

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("booking:change_status", args=[booking.booking_reference]),
            {"status": "CONFIRMED", "row": "1"},
            HTTP_HX_REQUEST="true",
        )

    assert response.status_code == 200
    assert response["HX-Trigger"] == "booking-changed"
    assert "Confirmed" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert any(booking.customer.email in m.to and "confirmed" in m.subject for m in mailoutbox)


def test_customer_cannot_confirm_their_own_request(client, now, service):
    booking = services.create_booking(**booking_input(service, local(2026, 3, 3, 10)))
    client.force_login(booking.customer)

    response = client.post(
        reverse("booking:change_status", args=[booking.booking_reference]),
        {"status": "CONFIRMED"},
        follow=True,
    )

    booking.refresh_from_db()
    assert booking.status == BookingStatus.PENDING
    assert "Only the provider can confirm this booking." in response.content.decode()


def test_detail_page_shows_only_the_actions_allowed_now(client, now, service):
    booking = services.create_booking(**booking_input(service, local(2026, 3, 3, 10)))
    client.force_login(booking.customer)

    body = client.get(booking.get_absolute_url()).content.decode()

    assert "Cancel booking" in body and "Accept request" not in body
    assert "Move to another time" in body
    assert "Pending" in body  # the history timeline


def test_customer_reschedules_to_another_free_time(client, now, service):
    booking = services.create_booking(**booking_input(service, local(2026, 3, 3, 10)))
    client.force_login(booking.customer)
    page = client.get(
        reverse("booking:reschedule", args=[booking.booking_reference]), {"date": "2026-03-04"}
    )
    assert ">14:00<" in page.content.decode()

    client.post(
        reverse("booking:reschedule", args=[booking.booking_reference]),
        {"date": "2026-03-04", "time": "14:00"},
    )

    booking.refresh_from_db()
    assert booking.local_starts_at == local(2026, 3, 4, 14)


def test_booking_calendar_file(client, now, service):
    booking = services.create_booking(**booking_input(service, local(2026, 3, 3, 10)))
    client.force_login(booking.customer)

    response = client.get(reverse("booking:ics", args=[booking.booking_reference]))

    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "DTSTART:20260303T160000Z" in body  # 10:00 in Chicago
    assert f"UID:{booking.booking_reference}@marketplace" in body


@pytest.mark.parametrize("line_break", ["\r", "\r\n", "\n"], ids=["CR", "CRLF", "LF"])
def test_a_line_break_in_an_address_cannot_add_lines_to_the_calendar(
    client, now, service, line_break
):
    # Regression: a bare CR was left as it was, and calendar apps read it as a new line.
    injected = f"12 Elm Street{line_break}ATTENDEE:mailto:someone@evil.example"
    booking = services.create_booking(
        **booking_input(service, local(2026, 3, 3, 10), service_address=injected)
    )
    client.force_login(booking.customer)

    body = client.get(reverse("booking:ics", args=[booking.booking_reference])).content.decode()

    lines = body.split("\r\n")
    assert not any(line.startswith("ATTENDEE") for line in lines)
    assert "\r" not in body.replace("\r\n", "")
    assert "\n" not in body.replace("\r\n", "")
    assert any(line.startswith("LOCATION:12 Elm Street\\nATTENDEE") for line in lines)


def test_provider_calendar_feed_needs_its_secret(client, now, service):
    booking = services.create_booking(**booking_input(service, local(2026, 3, 3, 10)))
    services.transition_booking(
        booking=booking, to_status=BookingStatus.CONFIRMED, by=service.provider.user
    )
    token = service.provider.schedule.calendar_token

    feed = client.get(reverse("booking:calendar_feed", args=[token])).content.decode()

    assert booking.booking_reference in feed
    assert client.get(reverse("booking:calendar_feed", args=["guess"])).status_code == 404


def test_provider_sets_weekly_hours_and_bad_lines_are_explained(client, now, service):
    client.force_login(service.provider.user)
    url = reverse("booking:availability")

    bad = client.post(url, {"form": "hours", "hours-0-start": "9am", "hours-0-end": "17:00"})
    assert bad.status_code == 400 and "Give both a start and an end time" in bad.content.decode()
    overlap = client.post(
        url,
        {"form": "hours", "hours-0-start": ["09:00", "11:00"], "hours-0-end": ["12:00", "13:00"]},
    )
    assert "overlaps" in overlap.content.decode()
    client.post(url, {"form": "hours", "hours-5-start": "10:00", "hours-5-end": "14:00"})

    assert services.selectors.free_slots(service=service, date=local(2026, 3, 7).date())
    assert not services.selectors.free_slots(service=service, date=local(2026, 3, 3).date())


def test_time_off_removes_free_days(client, now, service):
    client.force_login(service.provider.user)

    client.post(
        reverse("booking:availability"),
        {"form": "time_off", "time_off-start_date": TUESDAY, "time_off-end_date": TUESDAY},
    )

    assert not services.selectors.free_slots(service=service, date=local(2026, 3, 3).date())


def test_customers_cannot_open_provider_pages(client, customer):
    assert client.get(reverse("booking:provider_dashboard")).status_code == 403
    assert client.get(reverse("booking:availability")).status_code == 403


@pytest.mark.parametrize("count", [1, 8])
def test_my_bookings_query_count_is_constant(
    client, now, customer, service, count, django_assert_num_queries
):
    for hour in range(9, 9 + count):
        services.create_booking(
            **booking_input(service, local(2026, 3, 3, hour), customer=customer)
        )

    # User, upcoming, past, the upcoming services' photos (#18), the unread badges of
    # notifications and messages (sessions live in Redis).
    with django_assert_num_queries(6):
        client.get(reverse("booking:my_bookings"))


def test_service_page_invites_to_book(client, service):
    body = client.get(service.get_absolute_url()).content.decode()

    assert reverse("booking:book_date", args=[service.pk]) in body


def test_expired_request_is_not_bookable_twice(now, service):
    first = services.create_booking(**booking_input(service, local(2026, 3, 3, 10)))
    services.transition_booking(booking=first, to_status=BookingStatus.CANCELLED, by=first.customer)

    again = services.create_booking(**booking_input(service, local(2026, 3, 3, 10)))

    assert again.starts_at == first.starts_at
    assert first.starts_at - now > timedelta(hours=1)


def test_bookings_stay_visible_to_both_sides_after_the_provider_is_revoked(client, now, service):
    from accounts.models import VerificationStatus
    from accounts.services import decide_verification
    from accounts.tests.factories import AdminFactory

    booking = services.create_booking(**booking_input(service, local(2026, 3, 3, 10)))
    services.transition_booking(
        booking=booking, to_status=BookingStatus.CONFIRMED, by=service.provider.user
    )
    decide_verification(
        provider=service.provider,
        status=VerificationStatus.REJECTED,
        by=AdminFactory(),
        reason="Licence expired",
    )

    for person in (booking.customer, service.provider.user):
        client.force_login(person)
        assert client.get(booking.get_absolute_url()).status_code == 200
    assert client.get(service.get_absolute_url()).status_code == 404  # gone from the catalog


@pytest.mark.parametrize("typed", ["9999-12-31", "0001-01-01", "2026-02-30", "tomorrow"])
def test_a_date_typed_into_the_address_never_breaks_the_page(client, now, service, typed):
    response = client.get(
        reverse("booking:book_time", args=[service.pk]), {"date": typed}, follow=True
    )

    assert response.status_code == 200
