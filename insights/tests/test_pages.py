"""The insights page, its CSV and the overview on /me/, as a provider sees them (#21)."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
import redis
from django.urls import reverse

from accounts.tests.factories import CustomerFactory, ProviderFactory
from booking.models import BookingStatus
from booking.tests.factories import local
from insights import services, views_counter
from insights.models import ServiceDay

from .factories import job, provider_service

pytestmark = pytest.mark.django_db

S = BookingStatus
PAGE = reverse("insights:overview")
CSV = reverse("insights:export")
EVENING = local(2026, 3, 31, 23, 50)
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130 Safari/537.36"


@pytest.fixture
def service(time_machine):
    time_machine.move_to(local(2026, 1, 1, 8), tick=False)
    return provider_service(base_price=Decimal("80.00"), title="Deep clean")


def _jobs(service, time_machine, count=1):
    for index in range(count):
        job(
            service,
            local(2026, 3, 27, 8) + timedelta(hours=index),
            answer=S.CONFIRMED,
            finish=S.COMPLETED,
        )
    time_machine.move_to(EVENING, tick=False)
    services.roll_up_history(provider=service.provider)


def test_the_page_shows_the_figures_charts_and_their_tables(client, service, time_machine):
    _jobs(service, time_machine, count=2)
    client.force_login(service.provider.user)

    body = client.get(PAGE, {"period": "7d"}).content.decode()

    assert "25 Mar 2026 – 31 Mar 2026" in body
    assert '<tr><th scope="row">Completed</th><td class="number">2</td>' in body
    assert "160.00 USD" in body
    assert body.count('role="img"') == 4
    assert '<title id="chart-completed-svg-title">Completed jobs</title>' in body
    assert "Completed jobs: 2 in all over 7 days; the most, 2, in the day of Fri 27 Mar." in body
    assert "<summary>Completed jobs as a table</summary>" in body
    assert f'href="{CSV}?period=7d"' in body


def test_a_period_switch_swaps_only_the_figures(client, service, time_machine):
    _jobs(service, time_machine)
    client.force_login(service.provider.user)

    body = client.get(PAGE, {"period": "90d"}, HTTP_HX_REQUEST="true").content.decode()

    assert body.lstrip().startswith('<div id="figures">')
    assert "1 Jan 2026 – 31 Mar 2026" in body


def test_an_unknown_period_shows_the_last_30_days(client, service, time_machine):
    _jobs(service, time_machine)
    client.force_login(service.provider.user)

    body = client.get(PAGE, {"period": "forever"}).content.decode()

    assert "2 Mar 2026 – 31 Mar 2026" in body


@pytest.mark.parametrize("jobs", [1, 12])
def test_the_page_costs_the_same_queries_whatever_the_history(
    client, service, time_machine, jobs, django_assert_num_queries
):
    _jobs(service, time_machine, count=jobs)
    client.force_login(service.provider.user)
    client.get(PAGE)  # the session and user are cached like any later request's

    # user, provider, schedule; totals, days, waits, earnings, funnel, repeat customers;
    # the unread notifications and messages of the nav
    with django_assert_num_queries(11):
        response = client.get(PAGE, {"period": "365d"})
    assert response.status_code == 200


def test_the_csv_lists_the_period_s_bookings_and_its_earnings_add_up(client, service, time_machine):
    _jobs(service, time_machine, count=3)
    other = provider_service()
    job(other, local(2026, 3, 28, 9), answer=S.CONFIRMED, finish=S.COMPLETED)
    client.force_login(service.provider.user)

    response = client.get(CSV, {"period": "7d"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="bookings-2026-03-25-2026-03-31.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 3
    assert {row["service"] for row in rows} == {"Deep clean"}
    assert sum(Decimal(row["earned"]) for row in rows) == Decimal("240.00")
    assert rows[0]["starts_at"] == "2026-03-27T08:00-05:00"


def test_a_customer_name_is_never_a_spreadsheet_formula(client, service, time_machine):
    customer = CustomerFactory(first_name="=HYPERLINK(1)", last_name="x")
    job(service, local(2026, 3, 27, 8), customer=customer)
    time_machine.move_to(EVENING, tick=False)
    client.force_login(service.provider.user)

    body = b"".join(client.get(CSV, {"period": "7d"}).streaming_content).decode()

    assert "'=HYPERLINK(1) x" in body


def test_a_provider_never_sees_another_s_figures(client, service, time_machine):
    _jobs(service, time_machine, count=2)
    stranger = ProviderFactory()
    client.force_login(stranger)

    page = client.get(PAGE, {"period": "7d"}).content.decode()
    export = b"".join(client.get(CSV, {"period": "7d"}).streaming_content).decode()

    assert "Deep clean" not in page
    assert '<tr><th scope="row">Completed</th><td class="number">0</td>' in page
    assert export.count("\n") == 1  # the header alone


def test_customers_cannot_open_insights(client):
    client.force_login(CustomerFactory())

    assert client.get(PAGE).status_code == 403
    assert client.get(CSV).status_code == 403


# --- Views of a service page --------------------------------------------------------------


def _views_today(service):
    services.flush_view_counts()
    return sum(ServiceDay.objects.filter(service=service).values_list("views", flat=True))


def test_a_person_s_view_is_counted_and_flushed_once(client, time_machine):
    service = provider_service()

    for _ in range(3):
        assert client.get(service.get_absolute_url(), HTTP_USER_AGENT=BROWSER).status_code == 200
    flushed_twice = (_views_today(service), _views_today(service))

    assert flushed_twice == (3, 3)


def test_robots_and_the_provider_s_own_views_are_not_counted(client):
    service = provider_service()

    client.get(service.get_absolute_url(), HTTP_USER_AGENT="Googlebot/2.1 (+http://google.com)")
    client.get(service.get_absolute_url())  # no user agent: a script
    client.force_login(service.provider.user)
    client.get(service.get_absolute_url(), HTTP_USER_AGENT=BROWSER)

    assert _views_today(service) == 0


def test_a_flush_never_lowers_what_was_flushed(client):
    service = provider_service()
    client.get(service.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    client.get(service.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    assert _views_today(service) == 2

    views_counter.redis_client().delete(views_counter.views_key(local(2026, 1, 1).date()))
    client_key = views_counter.views_key(ServiceDay.objects.get(service=service).day)
    views_counter.redis_client().delete(client_key)  # Redis restarted: its counters are gone
    client.get(service.get_absolute_url(), HTTP_USER_AGENT=BROWSER)

    assert _views_today(service) == 2


def test_the_page_is_served_when_redis_cannot_count(client, monkeypatch):
    service = provider_service()
    closed = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    monkeypatch.setattr(views_counter, "redis_client", lambda: closed)

    response = client.get(service.get_absolute_url(), HTTP_USER_AGENT=BROWSER)

    assert response.status_code == 200
    assert services.flush_view_counts() == 0


# --- The dashboard's overview -------------------------------------------------------------


def test_the_dashboard_shows_today_s_jobs_waiting_requests_and_the_month(
    client, service, time_machine
):
    job(service, local(2026, 3, 31, 9), answer=S.CONFIRMED, finish=S.COMPLETED)
    job(service, local(2026, 3, 31, 15), answer=S.CONFIRMED)
    job(service, local(2026, 4, 2, 10), requested=local(2026, 3, 31, 8))
    time_machine.move_to(local(2026, 3, 31, 11), tick=False)
    client.force_login(service.provider.user)

    body = client.get(reverse("accounts:dashboard")).content.decode()

    assert "Today's jobs" in body
    assert body.count("Deep clean</a>") == 3  # two jobs today, one request waiting
    assert 'Requests waiting <span class="muted">(1)</span>' in body
    assert "waiting 3\xa0hours" in body
    assert "80.00 USD" in body


@pytest.mark.parametrize("requests", [1, 7])
def test_the_dashboard_costs_the_same_queries_whatever_the_requests(
    client, service, time_machine, requests, django_assert_num_queries
):
    for index in range(requests):
        job(service, local(2026, 4, 2, 8) + timedelta(hours=index), requested=local(2026, 3, 31, 8))
    time_machine.move_to(local(2026, 3, 31, 11), tick=False)
    client.force_login(service.provider.user)
    client.get(reverse("accounts:dashboard"))

    # user, provider, the checklist's reads, the services' count, schedule, today's jobs,
    # the waiting requests and their count, the month's earnings, the nav's unread counts
    with django_assert_num_queries(11):
        response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 200
