"""Concurrent refreshes of one refresh token, on real PostgreSQL connections: exactly one wins.

Each thread has its own database connection and test client and all start together at a
barrier, so the refreshes genuinely overlap (the pattern of booking/tests/test_concurrency.py).
`transaction=True` lets the threads see the committed log-in.
"""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from accounts.models import ApiSession
from tests.concurrency import race

from .api_helpers import ME, REFRESH, bearer, log_in, post
from .factories import CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)

RACERS = 10


def refresh_with(token):
    return lambda: post(Client(), REFRESH, {"refresh": token})


def test_ten_concurrent_refreshes_of_one_token_give_one_pair_and_nine_401s():
    CustomerFactory(email="ana@example.com")
    refresh = log_in(Client(), "ana@example.com").json()["refresh"]

    responses = race([refresh_with(refresh) for _ in range(RACERS)])

    assert not [r for r in responses if isinstance(r, Exception)], responses
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [401] * (RACERS - 1)
    (winner,) = [r.json() for r in responses if r.status_code == 200]
    # The losers changed nothing: the one new pair works, the session is still there.
    client = Client()
    assert client.get(ME, **bearer(winner["access"])).status_code == 200
    again = post(client, REFRESH, {"refresh": winner["refresh"]})
    assert again.status_code == 200
    assert client.get(ME, **bearer(again.json()["access"])).status_code == 200
    assert Session.objects.count() == ApiSession.objects.count() == 1


def test_concurrent_refreshes_of_two_sessions_do_not_wait_for_each_other_or_mix():
    CustomerFactory(email="ana@example.com")
    first = log_in(Client(), "ana@example.com").json()["refresh"]
    second = log_in(Client(), "ana@example.com").json()["refresh"]

    responses = race([refresh_with(first), refresh_with(second)] * 3)

    assert sorted(r.status_code for r in responses) == [200, 200] + [401] * 4
    for pair in (r.json() for r in responses if r.status_code == 200):
        assert Client().get(ME, **bearer(pair["access"])).status_code == 200
