"""The notifications API: your notifications, the unread count, marking them read."""

import pytest

from accounts.tests.factories import CustomerFactory
from notifications.models import Notification, NotificationKind
from notifications.services import notify
from tests.api_client import assert_error, bearer

pytestmark = pytest.mark.django_db

LIST = "/api/notifications/"


def news(user, n, **fields):
    return notify(
        recipient=user,
        kind=NotificationKind.BOOKING_CONFIRMED,
        event_key=f"test-{user.pk}-{n}",
        title=f"News {n}",
        url="/bookings/BK-2222-2222/",
        **fields,
    )


@pytest.fixture
def rosa():
    return CustomerFactory()


def test_list_newest_first_with_the_unread_count(client, rosa):
    older, newer = news(rosa, 1), news(rosa, 2)
    news(CustomerFactory(), 3)

    body = client.get(LIST, **bearer(rosa)).json()

    assert [n["id"] for n in body["results"]] == [newer.pk, older.pk]
    assert (body["count"], body["unread_count"]) == (2, 2)
    assert body["results"][0]["url"] == "http://testserver/bookings/BK-2222-2222/"
    assert body["results"][0]["read_at"] is None


def test_mark_one_read_then_all(client, rosa):
    first = news(rosa, 1)
    news(rosa, 2), news(rosa, 3)
    auth = bearer(rosa)

    one = client.post(f"{LIST}{first.pk}/read/", **auth).json()
    again = client.post(f"{LIST}{first.pk}/read/", **auth).json()
    count = client.get(f"{LIST}unread-count/", **auth).json()
    rest = client.post(f"{LIST}read-all/", **auth).json()

    assert one == {"marked": 1, "unread_count": 2}
    assert again == {"marked": 0, "unread_count": 2}
    assert count == {"unread_count": 2}
    assert rest == {"marked": 2, "unread_count": 0}
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_someone_elses_notification_is_not_found_and_stays_unread(client, rosa):
    theirs = news(CustomerFactory(), 1)

    assert_error(client.post(f"{LIST}{theirs.pk}/read/", **bearer(rosa)), 404)
    client.post(f"{LIST}read-all/", **bearer(rosa))

    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_notifications_need_a_token(client):
    assert_error(client.get(LIST), 401)
    assert_error(client.get(f"{LIST}unread-count/"), 401)


def test_a_page_of_notifications_costs_four_queries(client, rosa, django_assert_num_queries):
    for n in range(5):
        news(rosa, n)
    auth = bearer(rosa)

    with django_assert_num_queries(4):  # the token's user, the count, the page, the unread
        client.get(LIST, **auth)


def test_an_unknown_query_parameter_is_a_400_naming_it(client, rosa):
    body = assert_error(client.get(LIST, {"pgae": "2"}, **bearer(rosa)), 400)

    assert list(body["errors"]) == ["pgae"]
