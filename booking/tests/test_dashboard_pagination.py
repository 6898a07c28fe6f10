"""The provider dashboard at scale (issue #17): its requests and its agenda come a page at a
time, with the totals in the headings, in a constant number of queries however many bookings
the provider has.

The `now` fixture is Monday 2 March 2026, 07:00 CST. The confirmed jobs fill this week; the
requests start next Monday, 90 minutes apart in absolute time (so they never overlap, across
daylight saving too).
"""

import gc
import re
import statistics
import time
from datetime import UTC, timedelta
from datetime import time as clock

import pytest

from accounts.tests.factories import CustomerFactory
from booking.models import Booking, BookingStatus
from tests.html_regions import region

from .factories import BookingFactory, bookable_service, local

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/bookings/"
HTMX_REQUESTS = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "requests"}
HTMX_AGENDA = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "agenda"}
# User, provider profile, schedule (read once for the whole page), the requests' COUNT and
# page, the agenda's COUNT and page, the unread notifications' and messages' (#22) COUNTs:
# none of them grows with a list. An HTMX swap of one region reads only that region's list.
DASHBOARD_QUERIES = 9


@pytest.fixture
def service(now):
    return bookable_service(
        title="Leak repair", hours=[(day, clock(8), clock(18)) for day in range(7)]
    )


@pytest.fixture
def provider(client, service):
    client.force_login(service.provider.user)
    return service.provider


def add_bookings(service, count, *, first, status=BookingStatus.PENDING):
    """`count` bookings of `service` from `first`, one every 90 minutes, in one INSERT."""
    customer = CustomerFactory()
    city = service.provider.cities.first()
    first = first.astimezone(UTC)
    Booking.objects.bulk_create(
        BookingFactory.build(
            service=service,
            customer=customer,
            service_city=city,
            status=status,
            starts_at=first + timedelta(minutes=90 * number),
        )
        for number in range(count)
    )


@pytest.fixture
def requests_45(service):
    add_bookings(service, 45, first=local(2026, 3, 9, 8))


@pytest.fixture
def agenda_60(service):
    """Sixty confirmed jobs from Monday 08:00: 11 of them today, all of them this week."""
    add_bookings(service, 60, first=local(2026, 3, 2, 8), status=BookingStatus.CONFIRMED)


def request_rows(html):
    return re.findall(r'<li class="card booking-row" id="request-\d+">', html)


def agenda_rows(html):
    return region(html, "agenda").count('<li class="card booking-row">')


def link(html, rel):
    """The address of the `rel` link ("next", "prev") in `html`, or None."""
    found = re.search(rf'<a href="([^"]+)" rel="{rel}"', html)
    return found and found.group(1).replace("&amp;", "&")


def same(html):
    """`html` with its layout whitespace and per-request CSRF tokens evened out."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', html)
    return " ".join(html.split()).replace("> <", "><")


def test_the_first_page_shows_twenty_requests_and_the_heading_counts_all_of_them(
    client, provider, requests_45
):
    page = client.get(DASHBOARD).content.decode()

    assert "Requests waiting for you (45)" in region(page, "requests-title")
    assert len(request_rows(page)) == 20
    assert "Page 1 of 3" in region(page, "requests")


def test_the_last_page_shows_the_last_five_requests(client, provider, requests_45):
    page = client.get(DASHBOARD, {"requests_page": 3}).content.decode()

    assert len(request_rows(page)) == 5
    assert "Requests waiting for you (45)" in page
    assert link(region(page, "requests"), "next") is None
    assert link(region(page, "requests"), "prev") == "/dashboard/bookings/?requests_page=2#requests"


def test_the_next_page_is_a_real_link_that_works_without_javascript(client, provider, requests_45):
    first = client.get(DASHBOARD).content.decode()
    next_page = link(region(first, "requests"), "next")

    second = client.get(next_page).content.decode()

    assert next_page == "/dashboard/bookings/?requests_page=2#requests"
    assert 'hx-get="/dashboard/bookings/?requests_page=2"' in first
    assert 'hx-push-url="true"' in region(first, "requests")
    assert "<html" in second and "Page 2 of 3" in second
    assert len(request_rows(second)) == 20
    assert not set(request_rows(second)) & set(request_rows(first))


def test_the_htmx_request_for_a_page_returns_only_the_requests_region_of_that_page(
    client, provider, requests_45
):
    fragment = client.get(DASHBOARD, {"requests_page": 2}, **HTMX_REQUESTS).content.decode()
    page = client.get(DASHBOARD, {"requests_page": 2}).content.decode()

    assert fragment.lstrip().startswith('<section id="requests"')
    assert "Your calendar" not in fragment and 'id="agenda"' not in fragment
    assert same(fragment) == same(region(page, "requests"))
    assert len(request_rows(fragment)) == 20


@pytest.mark.parametrize(
    "asked, shown",
    [("9", 3), ("0", 3), ("last", 1), ("", 1)],
    ids=["past the last", "0", "word", "empty"],
)
def test_a_page_that_does_not_exist_shows_a_page_that_does(
    client, provider, requests_45, asked, shown
):
    # An old link followed after answering requests must not end in an error. Django's
    # Paginator.get_page: out of range is the last page, not a number the first.
    response = client.get(DASHBOARD, {"requests_page": asked})

    assert response.status_code == 200
    assert f"Page {shown} of 3" in region(response.content.decode(), "requests")


def test_the_week_agenda_comes_fifty_jobs_a_page_and_reloads_the_page_it_shows(
    client, provider, agenda_60
):
    first = client.get(DASHBOARD, {"agenda": "week"}).content.decode()
    second = client.get(link(region(first, "agenda"), "next")).content.decode()

    assert "This week (60)" in region(first, "agenda-title")
    assert agenda_rows(first) == 50 and agenda_rows(second) == 10
    assert "Page 2 of 2" in region(second, "agenda")
    # The `booking-changed` reload fetches the week's page it shows; the switch starts over.
    assert 'hx-get="/dashboard/bookings/?agenda=week&amp;agenda_page=2"' in second
    assert 'href="/dashboard/bookings/#agenda"' in second  # Show today


def test_the_today_agenda_counts_todays_jobs(client, provider, agenda_60):
    page = client.get(DASHBOARD).content.decode()

    assert "Today (11)" in region(page, "agenda-title")
    assert agenda_rows(page) == 11
    assert "pagination" not in region(page, "agenda")


def test_paging_one_list_keeps_the_other_on_its_page(client, provider, requests_45, agenda_60):
    page = client.get(
        DASHBOARD, {"agenda": "week", "agenda_page": 2, "requests_page": 3}
    ).content.decode()

    assert link(region(page, "requests"), "prev") == (
        "/dashboard/bookings/?agenda=week&requests_page=2&agenda_page=2#requests"
    )
    assert link(region(page, "agenda"), "prev") == (
        "/dashboard/bookings/?agenda=week&requests_page=3#agenda"
    )


def test_the_agenda_fragment_of_a_page_is_that_pages_agenda(client, provider, agenda_60):
    query = {"agenda": "week", "agenda_page": 2}

    fragment = client.get(DASHBOARD, query, **HTMX_AGENDA).content.decode()
    page = client.get(DASHBOARD, query).content.decode()

    assert same(fragment) == same(region(page, "agenda"))


@pytest.mark.parametrize(
    "query, headers, queries",
    [
        ({}, {}, DASHBOARD_QUERIES),
        ({"requests_page": 3}, {}, DASHBOARD_QUERIES),
        ({"requests_page": 2}, HTMX_REQUESTS, 5),
        ({"agenda": "week", "agenda_page": 2}, {}, DASHBOARD_QUERIES),
        ({"agenda": "week", "agenda_page": 2}, HTMX_AGENDA, 5),
    ],
    ids=["first page", "last requests page", "requests fragment", "week page 2", "agenda fragment"],
)
def test_every_page_of_the_dashboard_takes_a_fixed_number_of_queries(
    client, provider, requests_45, agenda_60, django_assert_num_queries, query, headers, queries
):
    with django_assert_num_queries(queries):
        response = client.get(DASHBOARD, query, **headers)
    assert response.status_code == 200


@pytest.mark.parametrize("count", [45, 2000])
def test_the_dashboard_takes_as_many_queries_with_2000_requests_as_with_45(
    client, service, provider, agenda_60, django_assert_num_queries, count
):
    add_bookings(service, count, first=local(2026, 3, 9, 8))

    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(DASHBOARD)

    assert f"Requests waiting for you ({count:,})" in response.content.decode()


def test_the_dashboard_with_2000_requests_stays_small_and_quick(client, service, provider):
    add_bookings(service, 2000, first=local(2026, 3, 9, 8))
    client.get(DASHBOARD)  # warm the template cache and the connection
    gc.collect()  # the 2,000 built objects' garbage is the test's, not the page's

    timings = []
    for _ in range(20):
        started = time.perf_counter()
        response = client.get(DASHBOARD)
        timings.append((time.perf_counter() - started) * 1000)

    # A time limit would be flaky on a shared CI runner; the page's size is not. Before
    # pagination this page was 3.3 MB.
    assert len(response.content) < 100_000
    p95 = statistics.quantiles(timings, n=20)[-1]
    print(
        f"dashboard, 2,000 requests: p95 {p95:.1f} ms, median {statistics.median(timings):.1f} ms,"
        f" {len(response.content):,} bytes"
    )
