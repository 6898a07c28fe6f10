"""The API's access matrix: every operation of the OpenAPI schema, for every role.

Roles call with their own access token (anonymous with none). Path parameters are A's
service and A's booking; bodies are valid, so an answer says who may, not what is wrong.
"""

import dataclasses
from datetime import timedelta

import pytest

from accounts.tests.factories import PASSWORD
from booking.models import WeeklyAvailability
from booking.slots import local_time

from .matrix import Ask, check, every, row
from .world import access_token

pytestmark = pytest.mark.django_db

SIGNED_IN = row(401, 200, 200, 200, 200, 200, 200)


def _service(world):
    return {
        "title": "Hijacked",
        "category": world.a.service.category_id,
        "base_price": "10.00",
        "duration_minutes": 60,
        "short_description": "x",
    }


def _booking(world):
    slot = world.a.free_slot
    return {
        "service": world.a.service.pk,
        "scheduled_date": slot.date().isoformat(),
        "scheduled_time": local_time(slot),
        "service_address": "1 Main Street",
        "service_city": "austin-tx",
        "service_postal_code": "78701",
    }


def _review(world):
    return {
        "booking": world.a.completed_booking.booking_reference,
        "rating": 1,
        "title": "Hijacked",
        "quality_rating": 1,
        "punctuality_rating": 1,
        "professionalism_rating": 1,
        "value_rating": 1,
    }


def _quote_request(world):  # quotes (#22)
    return {
        "service": world.a.quote_request.service_id,
        "description": "Hijacked",
        "city": "austin-tx",
    }


def _quote(world):  # quotes (#22)
    return {
        "pricing": "FIXED",
        "price": "1.00",
        "duration_minutes": 60,
        "included": "Hijacked",
        "valid_until": (world.a.free_slot.date() + timedelta(days=1)).isoformat(),
    }


def _accept(world):  # quotes (#22): a free time for the quoted two hours
    return {
        "starts_at": world.a.free_slot.isoformat(),
        "service_address": "1 Main Street",
        "service_postal_code": "78701",
    }


PROVIDERS = row(401, 403, 403, 200, 200, 403, 403)
A_PROVIDER_ONLY = row(401, 403, 403, 200, 404, 403, 403)
A_CONVERSATION = row(401, 200, 404, 200, 404, 403, 403)  # #22


def _new_time(world):
    slot = world.a.free_slot
    return {"scheduled_date": slot.date().isoformat(), "scheduled_time": local_time(slot)}


def _rules(world):
    schedule = world.a.schedule
    return {
        name: getattr(schedule, name)
        for name in (
            "time_zone",
            "buffer_minutes",
            "min_notice_hours",
            "max_advance_days",
            "cancellation_free_hours",
            "pending_expiry_hours",
        )
    }


# "METHOD /api/path/" as in the schema → (path parameters from the world, Ask)
API = {
    "GET /api/health/": (None, Ask(every(200))),
    "POST /api/users/register/": (
        None,
        Ask(
            every(201),
            method="post",
            json=True,
            data={
                "email": "new-person@example.com",
                "first_name": "New",
                "last_name": "Person",
                "password": "a-long-new-password-2026",
                "password_confirm": "a-long-new-password-2026",
                "role": "CUSTOMER",
            },
        ),
    ),
    "POST /api/users/login/": (
        None,
        Ask(
            every(200),
            method="post",
            json=True,
            data=lambda w: {"email": w.b.customer.email, "password": PASSWORD},
        ),
    ),
    "POST /api/users/token/refresh/": (
        None,
        Ask(every(401), method="post", json=True, data={"refresh": "not-a-token"}),
    ),
    # Ends the caller's own API session (the bearer's); anonymous callers have none.
    "POST /api/users/logout/": (
        None,
        Ask(row(401, 204, 204, 204, 204, 204, 204), method="post", json=True, data={}),
    ),
    "GET /api/users/me/": (None, Ask(SIGNED_IN)),
    "GET /api/categories/": (None, Ask(every(200))),
    "GET /api/services/": (None, Ask(every(200), query="q=plumbing")),
    "GET /api/services/{service_id}/": (None, Ask(every(200))),
    "PATCH /api/services/{service_id}/": (
        None,
        Ask(
            row(401, 403, 403, 200, 404, 403, 403),
            method="patch",
            json=True,
            data={"title": "Hijacked"},
        ),
    ),
    "PUT /api/services/{service_id}/": (
        None,
        Ask(
            row(401, 403, 403, 200, 404, 403, 403),
            method="put",
            json=True,
            data=_service,
        ),
    ),
    "GET /api/cities/": (None, Ask(every(200))),
    "GET /api/providers/{slug}/": (None, Ask(every(200))),
    "GET /api/providers/{slug}/reviews/": (None, Ask(every(200))),
    "DELETE /api/services/{service_id}/": (
        None,
        # A's service has bookings: pause it instead (409).
        Ask(row(401, 403, 403, 409, 404, 403, 403), method="delete"),
    ),
    "POST /api/services/create/": (
        None,
        Ask(row(401, 403, 403, 201, 201, 403, 403), method="post", json=True, data=_service),
    ),
    "GET /api/services/{service_id}/slots/": (
        None,
        Ask(every(200), query=lambda w: f"date={w.a.free_slot.date().isoformat()}"),
    ),
    "POST /api/bookings/create/": (
        None,
        Ask(row(401, 201, 201, 403, 403, 403, 403), method="post", json=True, data=_booking),
    ),
    "GET /api/bookings/": (None, Ask(SIGNED_IN)),
    "GET /api/bookings/{booking_reference}/": (None, Ask(row(401, 200, 404, 200, 404, 200, 200))),
    "POST /api/bookings/{booking_reference}/status/": (
        None,
        # Customers cancel a request; a provider declines it rather than cancelling.
        Ask(
            row(401, 200, 404, 403, 404, 200, 200),
            method="post",
            json=True,
            data={"status": "CANCELLED", "notes": "Hijacked"},
        ),
    ),
    "POST /api/reviews/create/": (
        None,
        # A's completed booking already has A's review.
        Ask(row(401, 409, 404, 403, 404, 403, 403), method="post", json=True, data=_review),
    ),
    "GET /api/services/{service_id}/reviews/": (None, Ask(every(200))),
    # Each caller's own profile; B changing theirs leaves A's alone (the fingerprint).
    "GET /api/users/me/profile/": (None, Ask(SIGNED_IN)),
    "PATCH /api/users/me/profile/": (
        None,
        Ask(SIGNED_IN, method="patch", json=True, data={"address": "1 Hijack Road"}),
    ),
    "GET /api/me/services/": (None, Ask(PROVIDERS)),
    "POST /api/bookings/{booking_reference}/reschedule/": (
        None,
        Ask(row(401, 200, 404, 200, 404, 200, 200), method="post", json=True, data=_new_time),
    ),
    "GET /api/bookings/{booking_reference}/calendar/": (
        None,
        Ask(row(401, 200, 404, 200, 404, 200, 200)),
    ),
    "GET /api/me/availability/": (None, Ask(PROVIDERS)),
    "PUT /api/me/availability/": (
        None,
        Ask(
            PROVIDERS,
            method="put",
            json=True,
            data={"intervals": [{"weekday": 1, "start_time": "08:00", "end_time": "18:00"}]},
        ),
    ),
    "POST /api/me/availability/intervals/": (
        None,
        Ask(
            row(401, 403, 403, 201, 201, 403, 403),
            method="post",
            json=True,
            data={"weekday": 6, "start_time": "09:00", "end_time": "10:00"},
        ),
    ),
    "DELETE /api/me/availability/intervals/{interval_id}/": (
        None,
        Ask(A_PROVIDER_ONLY, method="delete"),
    ),
    "GET /api/me/time-off/": (None, Ask(PROVIDERS)),
    "POST /api/me/time-off/": (
        None,
        Ask(
            row(401, 403, 403, 201, 201, 403, 403),
            method="post",
            json=True,
            data=lambda w: {
                "start_date": (w.a.time_off.end_date + timedelta(days=5)).isoformat(),
                "end_date": (w.a.time_off.end_date + timedelta(days=6)).isoformat(),
            },
        ),
    ),
    "DELETE /api/me/time-off/{time_off_id}/": (
        None,
        Ask(row(401, 403, 403, 204, 404, 403, 403), method="delete"),
    ),
    "GET /api/me/booking-rules/": (None, Ask(PROVIDERS)),
    "PUT /api/me/booking-rules/": (None, Ask(PROVIDERS, method="put", json=True, data=_rules)),
    "GET /api/me/dashboard/": (None, Ask(PROVIDERS)),
    # Insights and clients (#21): each provider's own; B's answers never hold A's clients.
    "GET /api/me/insights/": (None, Ask(PROVIDERS, query="period=30d")),
    "GET /api/me/clients/": (None, Ask(PROVIDERS)),
    "GET /api/notifications/": (None, Ask(SIGNED_IN)),
    "GET /api/notifications/unread-count/": (None, Ask(SIGNED_IN)),
    "POST /api/notifications/{notification_id}/read/": (
        None,
        Ask(row(401, 200, 404, 404, 404, 404, 404), method="post"),
    ),
    "POST /api/notifications/read-all/": (None, Ask(SIGNED_IN, method="post")),
    # Quotes (#22): A's customer asked A's provider, who quoted (world.py).
    "POST /api/quotes/create/": (
        None,
        Ask(
            row(401, 201, 201, 403, 403, 403, 403),
            method="post",
            json=True,
            data=_quote_request,
        ),
    ),
    "GET /api/quotes/": (None, Ask(SIGNED_IN)),
    "GET /api/quotes/{quote_reference}/": (
        None,
        Ask(row(401, 200, 404, 200, 404, 200, 200)),
    ),
    "POST /api/quotes/{quote_reference}/quote/": (
        None,
        Ask(row(401, 403, 404, 200, 404, 403, 403), method="post", json=True, data=_quote),
    ),
    "POST /api/quotes/{quote_reference}/decline/": (
        None,
        Ask(
            row(401, 403, 404, 200, 404, 403, 403),
            method="post",
            json=True,
            data={"reason": "Hijacked"},
        ),
    ),
    "POST /api/quotes/{quote_reference}/withdraw/": (
        None,
        Ask(row(401, 403, 404, 200, 404, 403, 403), method="post", json=True, data={}),
    ),
    "POST /api/quotes/{quote_reference}/accept/": (
        None,
        Ask(row(401, 200, 404, 403, 404, 403, 403), method="post", json=True, data=_accept),
    ),
    # Messages (#22): each side's own conversations; staff accounts are not participants.
    "GET /api/conversations/": (None, Ask(row(401, 200, 200, 200, 200, 403, 403))),
    "GET /api/conversations/unread-count/": (None, Ask(SIGNED_IN)),
    # B asking about A's service opens B's own conversation with provider A.
    "POST /api/conversations/": (
        None,
        Ask(
            row(401, 201, 201, 403, 403, 403, 403),
            method="post",
            json=True,
            data=lambda w: {"service": w.a.service.pk, "body": "Hijacked"},
        ),
    ),
    "GET /api/conversations/{conversation_id}/": (None, Ask(A_CONVERSATION)),
    "GET /api/conversations/{conversation_id}/messages/": (None, Ask(A_CONVERSATION)),
    "POST /api/conversations/{conversation_id}/messages/": (
        None,
        Ask(
            row(401, 201, 404, 201, 404, 403, 403),
            method="post",
            json=True,
            data={"body": "Hijacked"},
        ),
    ),
    "POST /api/conversations/{conversation_id}/read/": (
        None,
        Ask(A_CONVERSATION, method="post"),
    ),
    # The provider's answer: customer A reported it already (409), provider A wrote it (403).
    "POST /api/conversations/{conversation_id}/messages/{message_id}/report/": (
        None,
        Ask(
            row(401, 409, 404, 403, 404, 403, 403),
            method="post",
            json=True,
            data={"reason": "SPAM"},
        ),
    ),
}


def _url(operation, world):
    path = operation.split(" ", 1)[1]
    return path.format(
        service_id=world.a.service.pk,
        booking_reference=world.a.booking.booking_reference,
        slug=world.a.provider.provider_profile.slug,
        interval_id=WeeklyAvailability.objects.filter(provider=world.a.schedule.provider)
        .order_by("pk")
        .first()
        .pk,
        time_off_id=world.a.time_off.pk,
        notification_id=world.a.notification.pk,
        quote_reference=world.a.quote_request.reference,
        conversation_id=world.a.conversation.pk,
        message_id=world.a.conversation.messages.last().pk,
    )


@pytest.mark.parametrize("operation", list(API))
def test_api_access_matrix(world, operation, settings):
    # The matrix asks far more often than a person would; the limits have tests of their own.
    settings.API_RATE_LIMIT_ANON = settings.API_RATE_LIMIT_USER = "100000/h"
    ask = API[operation][1]
    ask = dataclasses.replace(
        ask, **{n: getattr(ask, n)(world) for n in ("data", "query") if callable(getattr(ask, n))}
    )

    problems = check(world, _url(operation, world), ask, api=True)

    assert not problems, f"{operation}: " + "; ".join(problems)


def test_b_lists_none_of_a_bookings(world, client):
    for user in (world.b.customer, world.b.provider):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {access_token(user)}"}

        body = client.get("/api/bookings/", **headers).content.decode()

        assert world.b.booking.booking_reference in body  # their own
        assert world.a.booking.booking_reference not in body
        assert world.a.completed_booking.booking_reference not in body
