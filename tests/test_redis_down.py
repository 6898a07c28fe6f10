"""Redis down is a 503 at worst, never a 500 or a logout; Redis back, nothing is stale (#16).

The app's cache points at a port of its own where a small TCP proxy to the suite's Redis
listens only while Redis is "up": `down()` closes it and every connection through it (a
real connection refused, as when Redis stops), `up()` listens again on the same port, so
the same cache, sessions and tokens see Redis go and come back.
"""

import contextlib
import logging
import socket
import threading
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
import redis.exceptions
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from huey.contrib.djhuey import HUEY
from huey.storage import RedisStorage

from accounts.tests.factories import PASSWORD, CityFactory, CustomerFactory
from booking.models import Booking
from booking.tests.factories import bookable_service, local
from catalog.services import set_service_active
from core import cache as core_cache
from core.cache import OncePerInterval
from marketplace.health import livez
from notifications.models import Notification
from tests.api_client import send

pytestmark = pytest.mark.django_db

MONDAY_MORNING = local(2026, 3, 2, 7)


def _nothing_listens(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        try:
            probe.connect(("127.0.0.1", port))
        except ConnectionRefusedError:
            return True
    return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisSwitch:
    """A TCP proxy on `port` to the real Redis, listening only while up."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = _free_port()
        if not _nothing_listens(self.port):
            pytest.fail(f"something listens on 127.0.0.1:{self.port}; the test needs it free")
        self._server = None
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def up(self):
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen(64)
        server.settimeout(0.05)
        self._server = server
        self._acceptor = threading.Thread(target=self._accept, args=(server,), daemon=True)
        self._acceptor.start()

    def down(self):
        server, self._server = self._server, None
        if server is not None:
            self._acceptor.join()  # it stops within its accept timeout, then closes
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        assert _nothing_listens(self.port)

    def _accept(self, server):
        with server:
            while self._server is server:
                try:
                    client, _ = server.accept()
                except TimeoutError:
                    continue
                self._connect(client)

    def _connect(self, client):
        upstream = socket.create_connection(self.target)
        with self._lock:
            self._sockets += [client, upstream]
        for source, sink in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def redis_switch(settings):
    """The default cache through a RedisSwitch (up to begin with); yields the switch."""
    real = settings.CACHES["default"]
    url = urlsplit(real["LOCATION"])
    switch = RedisSwitch((url.hostname, url.port or 6379))
    switch.up()
    settings.CACHES = {
        "default": real
        | {
            "LOCATION": f"redis://127.0.0.1:{switch.port}{url.path or '/0'}",
            # Try Redis again at once once it is back (the pause has a test of its own).
            "OPTIONS": real.get("OPTIONS", {}) | {"RETRY_SECONDS": 0},
        }
    }
    core_cache.reset_outage_state()
    yield switch
    switch.down()
    core_cache.reset_outage_state()


@pytest.fixture
def fresh_outage_log(monkeypatch):
    """The outage log's once-a-minute filter with a clock the test moves."""
    clock = [0.0]
    log_filter = OncePerInterval(clock=lambda: clock[0])
    monkeypatch.setattr(core_cache.outage_log, "filters", [log_filter])
    return clock


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(MONDAY_MORNING, tick=False)


def _site_login(email):
    client = Client()
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


def _api_token(email):
    response = send(Client(), "post", "/api/users/login/", {"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.content
    return response.json()["access"]


def _booking_payload(service, day="2026-03-03", hour="10:00"):
    return {
        "service": service.pk,
        "scheduled_date": day,
        "scheduled_time": hour,
        "estimated_duration_minutes": service.duration_minutes,
        "service_address": "12 Elm Street",
        "service_city": service.provider.cities.first().slug,
        "service_state": "TX",
        "service_postal_code": "78701",
    }


def _assert_503(response, *, json_body):
    assert response.status_code == 503, response.content[:300]
    assert response["Retry-After"] == "30"
    if json_body:
        assert response["Content-Type"].startswith("application/json")
        assert "unavailable" in response.json()["detail"]
    else:
        assert response["Content-Type"].startswith("text/html")
        assert b"try again in 30 seconds" in response.content


def test_redis_down_then_back(redis_switch, frozen, rf, django_capture_on_commit_callbacks):
    city = CityFactory(name="Austin", state="TX")
    service = bookable_service(city=city, title="Leak repair", base_price=Decimal("90.00"))
    other = bookable_service(city=city, title="Gutter cleaning", base_price=Decimal("80.00"))
    customer = CustomerFactory(email="rosa@example.com")
    leaving = CustomerFactory(email="lee@example.com")

    # Redis up: logged in on the site, a token for the API, pages cached.
    site = _site_login(customer.email)
    leaver = _site_login(leaving.email)
    token = {"HTTP_AUTHORIZATION": f"Bearer {_api_token(customer.email)}"}
    category_page = f"/categories/{other.category.slug}/"
    assert site.get("/bookings/").status_code == 200
    assert leaver.get("/bookings/").status_code == 200  # its session is now in Redis
    assert other.title.encode() in Client().get(category_page).content  # cached listing
    assert cache.get(f"django.contrib.sessions.cached_db{site.session.session_key}")

    redis_switch.down()

    # Reads: the database answers, everyone stays logged in.
    for path in ("/", "/search/?q=leak", category_page, "/api/services/", "/api/categories/"):
        assert Client().get(path).status_code == 200, path
    me = site.get("/api/users/me/", **token)
    assert me.status_code == 200, me.content
    assert me.json()["email"] == customer.email
    bookings = site.get("/bookings/")
    assert bookings.status_code == 200 and b"Log out" in bookings.content  # still logged in
    assert site.get(f"/book/{service.pk}/").status_code == 200
    assert Client().get("/accounts/login/").status_code == 200
    assert livez(rf.get("/livez")).status_code == 200
    health = Client().get("/healthz")
    assert health.status_code == 503 and health.json()["checks"]["cache"] is False

    # Brute-force protection fails closed: no logins, sign-ups or password resets.
    _assert_503(
        Client().post("/accounts/login/", {"login": customer.email, "password": PASSWORD}),
        json_body=False,
    )
    _assert_503(
        send(Client(), "post", "/api/users/login/", {"email": customer.email, "password": "x"}),
        json_body=True,
    )
    _assert_503(
        Client().post("/accounts/password/reset/", {"email": customer.email}), json_body=False
    )

    # Writes that need no Redis go on; their notifications wait for the sweeper.
    with django_capture_on_commit_callbacks(execute=True):
        created = send(site, "post", "/api/bookings/create/", _booking_payload(service), **token)
    assert created.status_code == 201, created.content
    booking = Booking.objects.get(booking_reference=created.json()["booking_reference"])
    assert Notification.objects.filter(recipient=service.provider.user).exists()

    # Changes made while Redis is down: a logout, a service paused.
    old_cookie = leaver.cookies["sessionid"].value
    assert leaver.post("/accounts/logout/").status_code == 302
    assert not Session.objects.filter(session_key=old_cookie).exists()
    with django_capture_on_commit_callbacks(execute=True):
        set_service_active(service=other, user=other.provider.user, active=False)

    redis_switch.up()

    # Everything works again, with the same session and token; nothing is stale.
    assert site.get("/bookings/").status_code == 200
    assert booking.booking_reference.encode() in site.get("/bookings/").content
    assert site.get("/api/users/me/", **token).status_code == 200
    assert Client().get("/healthz").status_code == 200
    assert other.title.encode() not in Client().get(category_page).content
    leaver.cookies["sessionid"] = old_cookie
    assert leaver.get("/bookings/").status_code == 302  # logged out stays logged out
    assert _site_login(customer.email)


def test_an_enqueue_with_redis_down_is_no_500(
    redis_switch, frozen, monkeypatch, django_capture_on_commit_callbacks
):
    """Huey's queue on the same dead Redis: a booking (which enqueues an email) still books."""
    service = bookable_service(city=CityFactory(name="Austin", state="TX"))
    customer = CustomerFactory()
    token = {"HTTP_AUTHORIZATION": f"Bearer {_api_token(customer.email)}"}
    redis_switch.down()
    monkeypatch.setattr(HUEY, "_immediate", False)
    monkeypatch.setattr(
        HUEY,
        "storage",
        RedisStorage(name="outage-test", url=f"redis://127.0.0.1:{redis_switch.port}/0"),
    )

    with django_capture_on_commit_callbacks(execute=True):
        created = send(
            Client(), "post", "/api/bookings/create/", _booking_payload(service), **token
        )

    assert created.status_code == 201, created.content


def test_the_api_limits_fail_open(redis_switch, settings):
    settings.API_RATE_LIMIT_ANON = "2/h"
    redis_switch.down()

    answers = [Client().get("/api/categories/").status_code for _ in range(5)]

    assert answers == [200] * 5
    redis_switch.up()
    answers = [Client().get("/api/categories/").status_code for _ in range(3)]
    assert answers == [200, 200, 429]


def test_django_ratelimit_alone_would_refuse_everyone(redis_switch, rf):
    """Why core.ratelimit does not trust a count it could not read: django-ratelimit reads a
    failed incr as "limit, -1 seconds left", which would be a 429 for every caller."""
    from django_ratelimit.core import get_usage

    redis_switch.down()
    usage = get_usage(rf.get("/"), group="g", key=lambda g, r: "k", rate="5/m", increment=True)

    assert usage["should_limit"] is True and usage["time_left"] == -1


def test_cache_errors_are_logged_once_a_minute(redis_switch, fresh_outage_log, caplog):
    redis_switch.down()
    with caplog.at_level(logging.WARNING, logger="core.cache.outage"):
        for _ in range(20):
            cache.get("anything")
            cache.set("anything", 1)
        fresh_outage_log[0] = 59
        cache.get("anything")
        first_minute = [r.getMessage() for r in caplog.records if r.name == "core.cache.outage"]
        fresh_outage_log[0] = 61
        cache.get("anything")

    messages = [r.getMessage() for r in caplog.records if r.name == "core.cache.outage"]
    assert len(first_minute) == 1
    assert len(messages) == 2
    assert "40 more like this" in messages[1]


def test_the_log_filter_lets_one_message_through_a_minute():
    clock = [0.0]
    log_filter = OncePerInterval(clock=lambda: clock[0])

    def passes(msg="Cache unavailable: %s"):
        return log_filter.filter(logging.LogRecord("x", logging.WARNING, "", 0, msg, ("e",), None))

    assert passes()
    clock[0] = 30
    assert not passes() and not passes()
    assert passes("another message")
    clock[0] = 60
    assert passes()
    assert not passes()


def test_after_a_failure_redis_is_not_tried_again_for_a_while(redis_switch, settings):
    default = settings.CACHES["default"]
    settings.CACHES = {"default": default | {"OPTIONS": default["OPTIONS"] | {"RETRY_SECONDS": 60}}}
    cache.set("key", "before")
    redis_switch.down()
    assert cache.get("key") is None
    redis_switch.up()

    assert cache.get("key", "miss") == "miss"  # not tried: still within the pause
    assert core_cache.reachable()  # the health check does try, and ends the pause
    # The failed read left nothing stale; the value written before the outage is back.
    assert cache.get("key") == "before"


def test_a_genuine_redis_error_is_not_taken_for_an_outage(redis_switch):
    cache.client.get_client().rpush(cache.make_key("list"), "x")

    with pytest.raises(redis.exceptions.ResponseError, match="WRONGTYPE"):
        cache.get("list")
