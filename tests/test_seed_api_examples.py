"""The seed document's HTTP examples, sent as written (../shared/SEED_API_EXAMPLES.md).

Each body and query string below is copied character for character from that document. Where
the example cannot succeed as written (its date has passed, `+1234567890` is not a real
phone number) the test asserts the exact 400 and its message, then sends the smallest change
that succeeds. The ids the examples use (category 1, service 1, booking 1) are given to the
objects they mean, as they would be in a fresh database.
"""

import re
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.tests.factories import PASSWORD, CityFactory, CustomerFactory, ProviderFactory
from booking.models import Booking, BookingStatus
from booking.tests.factories import BookingFactory, bookable_service
from catalog.models import PricingType, Service, ServiceCategory
from catalog.tests.factories import CategoryFactory
from reviews.models import Review
from tests.api_client import bearer

pytestmark = pytest.mark.django_db

JSON = "application/json"

REGISTER_USER = """{
  "email": "user@example.com",
  "phone": "+1234567890",
  "first_name": "John",
  "last_name": "Doe",
  "password": "SecurePass123!",
  "password_confirm": "SecurePass123!",
  "role": "CUSTOMER"
}"""

LOGIN = """{
  "email": "user@example.com",
  "password": "SecurePass123!"
}"""

REFRESH_TOKEN = """{
  "refresh": "your-refresh-token"
}"""

LIST_SERVICES = "/api/services/?category=1&min_price=50&max_price=200&city=NewYork"

CREATE_SERVICE = """{
  "title": "Expert Plumbing Service",
  "slug": "expert-plumbing-service",
  "description": "Professional plumbing services...",
  "short_description": "Fast and reliable plumbing",
  "category": 1,
  "pricing_type": "HOURLY",
  "base_price": "75.00",
  "currency": "USD",
  "duration_minutes": 120
}"""

CREATE_BOOKING = """{
  "service": 1,
  "scheduled_date": "2025-11-01",
  "scheduled_time": "10:00:00",
  "estimated_duration_minutes": 120,
  "service_address": "123 Main St, Apt 4B",
  "service_city": "New York",
  "service_state": "NY",
  "service_postal_code": "10001",
  "customer_notes": "Please ring doorbell twice"
}"""

UPDATE_BOOKING_STATUS = """{
  "status": "CONFIRMED",
  "notes": "Confirmed and ready to proceed"
}"""

CREATE_REVIEW = """{
  "booking": 1,
  "rating": 5,
  "title": "Excellent Service!",
  "comment": "Very professional and completed the job perfectly.",
  "quality_rating": 5,
  "punctuality_rating": 5,
  "professionalism_rating": 5,
  "value_rating": 5
}"""

NEW_YORK = ZoneInfo("America/New_York")


def _next_id_is_one(*models):
    """Let the next row of each model get id 1, as in the fresh database the examples
    assume (the test's rows are rolled back, so none holds it)."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), 1, false)",
                [model._meta.db_table],
            )


def _next_weekday(days_ahead=2):
    """A Monday-to-Friday date in New York at least `days_ahead` days from today there."""
    day = timezone.now().astimezone(NEW_YORK).date() + timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@pytest.fixture
def seed_catalog():
    """Category 1 and service 1 as the examples mean them: plumbing, by an hour, $75, from
    a verified provider working in New York, Monday to Friday 9:00-17:00."""
    _next_id_is_one(ServiceCategory, Service)
    plumbing = CategoryFactory(name="Plumbing", slug="plumbing")
    new_york = CityFactory(
        name="New York", state="NY", slug="new-york-ny", time_zone="America/New_York"
    )
    service = bookable_service(
        city=new_york,
        time_zone="America/New_York",
        category=plumbing,
        title="Emergency plumber",
        pricing_type=PricingType.HOURLY,
        base_price=Decimal("75.00"),
        duration_minutes=120,
    )
    assert (plumbing.pk, service.pk) == (1, 1)
    return service


@pytest.fixture
def seed_customer():
    return CustomerFactory(email="user@example.com", first_name="John", last_name="Doe")


def test_register_user_with_the_seed_phone_is_a_400_and_a_real_number_signs_up(client, mailoutbox):
    verbatim = client.post("/api/users/register/", REGISTER_USER, JSON)
    real_number = client.post(
        "/api/users/register/", REGISTER_USER.replace("+1234567890", "+12125550123"), JSON
    )

    assert verbatim.status_code == 400
    assert verbatim.json() == {
        "detail": "Invalid input: see errors.",
        "errors": {"phone": ["Enter a valid phone number."]},
    }
    assert real_number.status_code == 201
    assert real_number.json()["detail"].startswith("Check your inbox")
    assert len(mailoutbox) == 1


def test_login_verbatim_once_the_email_is_verified(client, mailoutbox):
    client.post("/api/users/register/", REGISTER_USER.replace("+1234567890", "+12125550123"), JSON)
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mailoutbox[0].body)
    client.post(link.group(1))

    response = client.post("/api/users/login/", LOGIN, JSON)

    assert response.status_code == 200
    body = response.json()
    assert body["user"]["email"] == "user@example.com"
    assert body["user"]["phone"] == "+12125550123"
    assert body["access"] and body["refresh"]


def test_refresh_token_verbatim_is_a_401_and_a_real_refresh_token_works(client, seed_customer):
    verbatim = client.post("/api/users/token/refresh/", REFRESH_TOKEN, JSON)
    pair = client.post(
        "/api/users/login/", {"email": "user@example.com", "password": PASSWORD}, JSON
    ).json()
    real = client.post(
        "/api/users/token/refresh/",
        REFRESH_TOKEN.replace("your-refresh-token", pair["refresh"]),
        JSON,
    )

    assert verbatim.status_code == 401
    assert verbatim.json()["detail"]
    assert real.status_code == 200
    assert real.json()["access"] and real.json()["refresh"] != pair["refresh"]


def test_list_services_verbatim(client, seed_catalog, seed_customer):
    # Left out by the filters: the same category in another city, and a price above 200.
    bookable_service(category=seed_catalog.category, base_price=Decimal("80"))
    bookable_service(
        provider=seed_catalog.provider, category=seed_catalog.category, base_price=Decimal("250")
    )
    bookable_service(provider=seed_catalog.provider, base_price=Decimal("90"))  # another category

    response = client.get(LIST_SERVICES, **bearer(seed_customer))

    assert response.status_code == 200
    body = response.json()
    assert [service["id"] for service in body["results"]] == [1]
    assert body["results"][0]["provider"]["cities"] == [
        {"slug": "new-york-ny", "name": "New York", "state": "NY"}
    ]


def test_create_service_verbatim(client, seed_catalog):
    provider = ProviderFactory()

    response = client.post("/api/services/create/", CREATE_SERVICE, JSON, **bearer(provider))

    assert response.status_code == 201
    body = response.json()
    assert {key: body[key] for key in ("title", "slug", "pricing_type", "base_price")} == {
        "title": "Expert Plumbing Service",
        "slug": "expert-plumbing-service",
        "pricing_type": "HOURLY",
        "base_price": "75.00",
    }
    assert (body["category"]["id"], body["currency"], body["duration_minutes"]) == (1, "USD", 120)


def test_create_booking_verbatim_is_a_400_for_its_past_date_and_a_future_one_books(
    client, seed_catalog, seed_customer
):
    auth = bearer(seed_customer)
    today = timezone.now().astimezone(NEW_YORK).date()
    day = _next_weekday()

    verbatim = client.post("/api/bookings/create/", CREATE_BOOKING, JSON, **auth)
    future = client.post(
        "/api/bookings/create/",
        CREATE_BOOKING.replace("2025-11-01", day.isoformat()),
        JSON,
        **auth,
    )

    assert verbatim.status_code == 400
    assert verbatim.json() == {
        "detail": "Invalid input: see errors.",
        "errors": {"scheduled_date": [f"That date has passed; today is {today}."]},
    }
    assert future.status_code == 201
    body = future.json()
    assert body["id"] == Booking.objects.get().pk
    assert (body["service"]["id"], body["status"]) == (1, "PENDING")
    assert (body["scheduled_date"], body["scheduled_time"]) == (day.isoformat(), "10:00")
    assert body["service_city"] == {"slug": "new-york-ny", "name": "New York", "state": "NY"}
    assert (body["estimated_duration_minutes"], body["estimated_total"]) == (120, "150.00")
    assert body["customer_notes"] == "Please ring doorbell twice"


def test_update_booking_status_verbatim(client, seed_catalog, seed_customer):
    booking = BookingFactory(
        service=seed_catalog,
        customer=seed_customer,
        starts_at=timezone.now().replace(microsecond=0) + timedelta(days=3),
    )

    response = client.post(
        f"/api/bookings/{booking.booking_reference}/status/",
        UPDATE_BOOKING_STATUS,
        JSON,
        **bearer(seed_catalog.provider.user),
    )

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "CONFIRMED"
    assert body["history"][-1]["notes"] == "Confirmed and ready to proceed"


def test_create_review_verbatim(client, seed_catalog, seed_customer):
    _next_id_is_one(Booking)
    BookingFactory(
        service=seed_catalog,
        customer=seed_customer,
        status=BookingStatus.COMPLETED,
        starts_at=timezone.now() - timedelta(days=3),
    )

    response = client.post("/api/reviews/create/", CREATE_REVIEW, JSON, **bearer(seed_customer))

    assert response.status_code == 201
    body = response.json()
    assert (body["rating"], body["title"], body["service"]) == (5, "Excellent Service!", 1)
    assert Review.objects.get().booking_id == 1


def test_the_seed_rate_limits_are_the_defaults():
    # "Anonymous users: 100 requests/hour; Authenticated users: 1000 requests/hour;
    # Booking creation: 50 requests/hour".
    assert (
        settings.API_RATE_LIMIT_ANON,
        settings.API_RATE_LIMIT_USER,
        settings.API_RATE_LIMIT_BOOKING_CREATE,
    ) == ("100/h", "1000/h", "50/h")
