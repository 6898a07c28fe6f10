"""Search by availability: "free on <date>" and "free this week", on the site and in the API,
with the other filters, listing only services the booking steps would offer a time for."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from booking import free_days, services
from booking.tests.factories import bookable_service, booking_input, local
from catalog.models import PricingType
from tests.api_client import assert_error

from .api_helpers import SERVICES, ids
from .factories import CategoryFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("catalog:search")
WEDNESDAY = (2026, 12, 2)


@pytest.fixture
def week(time_machine):
    """Wednesday 2 December 2026, 08:00 in Chicago (the site's dates are UTC's: the same day).
    Three plumbers: one on Thursdays only, one on Saturdays only, one on no day at all."""
    time_machine.move_to(local(*WEDNESDAY, 8), tick=False)
    plumbing = CategoryFactory(name="Plumbing")
    thursdays = bookable_service(
        hours=[(3, time(9), time(10))], title="Thursday plumber", category=plumbing
    )
    saturdays = bookable_service(
        hours=[(5, time(9), time(12))], title="Saturday plumber", category=plumbing
    )
    never = bookable_service(hours=[], title="Never plumber", category=plumbing)
    for service in (thursdays, saturdays, never):
        free_days.refresh(service.provider_id)
    return {"thursdays": thursdays, "saturdays": saturdays, "never": never, "plumbing": plumbing}


def titles(response):
    return sorted(service.title for service in response.context["results"].services)


def test_free_on_a_day_lists_only_who_has_a_free_time_that_day(client, week):
    response = client.get(SEARCH, {"available": "2026-12-03"})

    assert titles(response) == ["Thursday plumber"]
    assert "Free tomorrow" in response.content.decode()  # the chip that removes it


def test_free_this_week_lists_everyone_with_a_free_time_in_the_next_seven_days(client, week):
    response = client.get(SEARCH, {"available": "week"})

    assert titles(response) == ["Saturday plumber", "Thursday plumber"]


def test_a_booked_last_slot_takes_the_service_off_that_day(
    client, week, django_capture_on_commit_callbacks
):
    service = week["thursdays"]
    with django_capture_on_commit_callbacks(execute=True):
        services.create_booking(**booking_input(service, local(2026, 12, 3, 9)))

    assert titles(client.get(SEARCH, {"available": "2026-12-03"})) == []
    # Next Thursday is still free.
    assert titles(client.get(SEARCH, {"available": "2026-12-10"})) == ["Thursday plumber"]


def test_a_day_whose_last_start_has_passed_is_not_listed(client, week, time_machine):
    time_machine.move_to(local(2026, 12, 3, 9, 1), tick=False)  # past Thursday's only start

    assert titles(client.get(SEARCH, {"available": "2026-12-03"})) == []


def test_availability_combines_with_words_category_price_and_sort(client, week):
    response = client.get(
        SEARCH,
        {
            "q": "plumber",
            "category": week["plumbing"].slug,
            "max_price": "1000",
            "available": "week",
            "sort": "price",
        },
    )

    assert titles(response) == ["Saturday plumber", "Thursday plumber"]


def test_a_price_on_quote_service_is_never_listed_as_free(client, week):
    quoted = bookable_service(
        hours=[(3, time(9), time(17))], title="Quoted plumber", pricing_type=PricingType.QUOTE
    )
    free_days.refresh(quoted.provider_id)

    assert "Quoted plumber" not in titles(client.get(SEARCH, {"available": "week"}))


def test_the_api_filters_on_the_same_days(client, week):
    on_thursday = client.get(SERVICES, {"available": "2026-12-03"})
    this_week = client.get(SERVICES, {"available": "week"})

    assert ids(on_thursday) == [week["thursdays"].pk]
    assert sorted(ids(this_week)) == sorted([week["thursdays"].pk, week["saturdays"].pk])


@pytest.mark.parametrize("value", ["tomorrow", "2026-12-16", "2026-12-01", "2026-13-01", "\x00"])
def test_the_api_refuses_a_day_outside_the_next_fourteen_naming_the_field(client, week, value):
    body = assert_error(client.get(SERVICES, {"available": value}), 400)

    assert "available" in body["errors"]


def test_the_site_ignores_a_bad_day_and_says_so(client, week):
    response = client.get(SEARCH, {"available": "2027-01-01"})

    assert response.status_code == 200
    assert titles(response) == ["Never plumber", "Saturday plumber", "Thursday plumber"]
    assert "a date in the next 14 days" in response.content.decode()


@pytest.mark.parametrize("count", [1, 12])
def test_search_by_availability_costs_the_queries_of_the_same_search_without_it(
    client, time_machine, count
):
    time_machine.move_to(local(*WEDNESDAY, 8), tick=False)
    for _ in range(count):
        free_days.refresh(bookable_service().provider_id)
    client.get(SEARCH)  # warm the category and city caches

    with CaptureQueriesContext(connection) as plain:
        client.get(SEARCH, {"min_price": "1"})
    with CaptureQueriesContext(connection) as free:
        response = client.get(SEARCH, {"min_price": "1", "available": "week"})

    # The probe rides in the search's own statements; the page's total is test_views' own.
    assert len(free) == len(plain)
    assert response.context["results"].count == count


def test_the_days_offered_run_from_today_for_fourteen_days(client, week):
    response = client.get(SEARCH)
    choices = dict(response.context["form"].fields["available"].choices)

    assert list(choices)[:4] == ["", "week", "2026-12-02", "2026-12-03"]
    assert choices["2026-12-02"] == "Today" and choices["2026-12-03"] == "Tomorrow"
    assert "2026-12-15" in choices and "2026-12-16" not in choices
    assert local(*WEDNESDAY).date() + timedelta(days=13) == local(2026, 12, 15).date()


def test_the_probe_for_one_listing_is_answered_from_the_primary_key_alone(week):
    from django.db import transaction

    from catalog.models import ServiceFreeDay

    first = local(*WEDNESDAY).date()
    probe = ServiceFreeDay.objects.filter(
        service_id=week["thursdays"].pk,
        day__gte=first,
        day__lte=first + timedelta(days=6),
        book_by__gte=local(*WEDNESDAY, 8),
    ).values("day")
    sql, params = probe.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # A handful of rows: make the planner use an index, as it does at scale.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(line for (line,) in cursor.fetchall())

    # book_by rides in the key (INCLUDE): no table row is read to test it.
    assert plan.startswith("Index Only Scan using catalog_servicefreeday_pkey"), plan
