"""Reads on a real streaming replica (tests/infra/postgres_pair.py), writes on the primary.

Pausing the replica's replay makes it visibly stale, so each test can tell which server
answered: what only the primary has cannot have come from the replica.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import CityFactory, CustomerFactory
from booking.models import Booking
from booking.tests.factories import bookable_service
from catalog.models import Service
from core.db.middleware import PIN_COOKIE
from core.db.router import primary
from tests.api_client import bearer, send

CHICAGO = ZoneInfo("America/Chicago")


def test_the_replica_is_a_standby_that_streams_from_the_primary(read_replica):
    with connections["replica_1"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (True,)
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (False,)


def test_a_search_is_read_on_the_replica(read_replica, client):
    bookable_service(title="Replicated gutter cleaning")
    read_replica.wait_for_replay()

    with CaptureQueriesContext(connections["replica_1"]) as on_replica:
        response = client.get(reverse("catalog:search"), {"q": "gutter"})

    assert response.status_code == 200
    assert "Replicated gutter cleaning" in response.content.decode()
    assert any("catalog_service" in query["sql"] for query in on_replica.captured_queries)


def test_a_stale_replica_shows_a_visitor_what_it_has_replayed(read_replica, client):
    read_replica.pause_replay()
    bookable_service(title="Unreplayed roof survey")  # on the primary only

    body = client.get(reverse("catalog:search"), {"q": "roof"}).content.decode()

    assert "Unreplayed roof survey" not in body
    assert Service.objects.filter(title="Unreplayed roof survey").exists()  # the primary


def test_a_customer_sees_their_new_booking_at_once_though_the_replica_lags(
    read_replica, client, time_machine
):
    time_machine.move_to(datetime(2026, 3, 2, 7, tzinfo=CHICAGO), tick=False)
    service = bookable_service(title="Leak repair", city=CityFactory(name="Austin"))
    customer = CustomerFactory()
    read_replica.wait_for_replay()
    read_replica.pause_replay()  # from here on the replica has none of the customer's rows
    client.force_login(customer)
    client.get(reverse("booking:book_time", args=[service.pk]), {"date": "2026-03-03"})
    client.get(
        reverse("booking:book_details", args=[service.pk]), {"date": "2026-03-03", "time": "10:00"}
    )
    client.post(
        reverse("booking:book_details", args=[service.pk]),
        {
            "service_address": "12 Elm Street",
            "service_city": service.provider.cities.first().pk,
            "service_state": "TX",
            "service_postal_code": "78701",
            "estimated_duration_minutes": 60,
        },
    )
    created = client.post(reverse("booking:book_review", args=[service.pk]))
    booking = Booking.objects.get(customer=customer)
    assert created["Location"] == reverse("booking:detail", args=[booking.booking_reference])
    pin = created.cookies[PIN_COOKIE]
    assert (pin["httponly"], pin["samesite"], pin["max-age"]) == (True, "Lax", 10)

    with CaptureQueriesContext(connections["replica_1"]) as on_replica:
        page = client.get(reverse("booking:my_bookings"))

    assert booking.booking_reference in page.content.decode()
    assert on_replica.captured_queries == []


def test_a_phone_app_without_cookies_sees_its_new_booking_at_once_though_the_replica_lags(
    read_replica, time_machine
):
    time_machine.move_to(datetime(2026, 3, 2, 7, tzinfo=CHICAGO), tick=False)
    service = bookable_service(title="Leak repair", city=CityFactory(name="Austin"))
    auth = bearer(CustomerFactory())
    other = bearer(CustomerFactory())
    read_replica.wait_for_replay()
    read_replica.pause_replay()  # from here on the replica has none of the customer's rows
    created = send(
        Client(),
        "post",
        "/api/bookings/create/",
        {
            "service": service.pk,
            "scheduled_date": "2026-03-03",
            "scheduled_time": "10:00",
            "estimated_duration_minutes": 60,
            "service_address": "12 Elm Street",
            "service_city": service.provider.cities.first().slug,
            "service_state": "TX",
            "service_postal_code": "78701",
        },
        **auth,
    )
    assert created.status_code == 201, created.content
    reference = created.json()["booking_reference"]

    # A new client each time: no cookie comes back, as from an app that keeps none.
    with CaptureQueriesContext(connections["replica_1"]) as on_replica:
        mine = Client().get("/api/bookings/", **auth)
    with CaptureQueriesContext(connections["replica_1"]) as others_reads:
        Client().get("/api/bookings/", **other)

    assert reference in mine.content.decode()
    assert on_replica.captured_queries == []
    # Another user's reads still go to the replica: the pin is the writer's alone.
    assert others_reads.captured_queries


def test_reads_inside_a_transaction_or_primary_use_the_primary(read_replica):
    from core.db.router import reading_from_replicas

    with reading_from_replicas():
        assert Service.objects.db == "replica_1"
        with transaction.atomic():
            assert Service.objects.all().db == "default"
        with primary():
            assert Service.objects.all().db == "default"
    assert Service.objects.all().db == "default"  # no request: a task, a command


def test_healthz_reports_the_replica_and_its_lag(read_replica, client, settings):
    assert client.get(reverse("healthz")).json()["replicas"] == {
        "replica_1": {"state": "ok", "lag_seconds": 0.0}
    }

    read_replica.pause_replay()
    bookable_service(title="Written while the replica is paused")
    read_replica.wait_for_received_not_replayed()
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 0

    answer = client.get(reverse("healthz"))
    with CaptureQueriesContext(connections["replica_1"]) as on_replica:
        body = client.get(reverse("catalog:search"), {"q": "paused"}).content.decode()

    assert answer.status_code == 200
    replica = answer.json()["replicas"]["replica_1"]
    assert replica["state"] == "lagging" and replica["lag_seconds"] > 0
    assert "Written while the replica is paused" in body  # read on the primary instead
    assert all("catalog_service" not in q["sql"] for q in on_replica.captured_queries)


def test_a_replica_stopped_mid_run_sends_reads_to_the_primary_without_an_error(
    read_replica, client
):
    bookable_service(title="Chimney sweep")
    read_replica.wait_for_replay()
    assert client.get(reverse("catalog:search"), {"q": "chimney"}).status_code == 200
    read_replica.stop_replica()
    try:
        bookable_service(title="Chimney repointing")  # after the stop: on the primary only

        search = client.get(reverse("catalog:search"), {"q": "chimney"})
        health = client.get(reverse("healthz"))

        assert search.status_code == 200
        assert "Chimney repointing" in search.content.decode()
        assert health.status_code == 200
        assert health.json()["replicas"]["replica_1"] == {"state": "down", "lag_seconds": None}
    finally:
        read_replica.start_replica()


@pytest.mark.django_db
def test_without_replicas_configured_everything_reads_the_primary(client, settings):
    assert settings.DATABASE_REPLICAS == []
    assert client.get(reverse("healthz")).json() == {
        "status": "ok",
        "checks": {"database": True, "cache": True},
    }
    assert PIN_COOKIE not in client.post(reverse("catalog:search")).cookies
