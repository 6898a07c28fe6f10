import json
import logging
import time

import pytest
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django_htmx.middleware import HtmxDetails

from marketplace.logging import JsonFormatter
from marketplace.middleware import HtmxMessagesMiddleware, RequestLogMiddleware

pytestmark = pytest.mark.django_db


def test_each_request_is_logged_once_with_its_id_and_status(client, caplog):
    with caplog.at_level(logging.INFO, logger="marketplace.request"):
        started = time.perf_counter()
        response = client.get(reverse("healthz"), HTTP_X_REQUEST_ID="abc-123")
        wall_ms = (time.perf_counter() - started) * 1000

    [record] = [r for r in caplog.records if r.name == "marketplace.request"]
    assert response["X-Request-ID"] == "abc-123"
    assert (record.request_id, record.path, record.status) == ("abc-123", "/healthz", 200)
    # /healthz does a database and a Redis round trip: well over the log's 0.1 ms.
    assert 0 < record.duration_ms <= wall_ms


class SteppedClock:
    """perf_counter for the middleware: time moves only when a view says so."""

    def __init__(self):
        self.now = 1000.0

    def perf_counter(self):
        return self.now


def test_the_logged_duration_is_the_time_the_view_took_in_milliseconds(monkeypatch, caplog):
    clock = SteppedClock()
    monkeypatch.setattr("marketplace.middleware.time", clock)

    def view_taking_a_quarter_second(request):
        clock.now += 0.25
        return HttpResponse("done")

    middleware = RequestLogMiddleware(view_taking_a_quarter_second)
    with caplog.at_level(logging.INFO, logger="marketplace.request"):
        middleware(RequestFactory().get("/slow/"))

    [record] = [r for r in caplog.records if r.name == "marketplace.request"]
    assert record.duration_ms == 250.0


def test_json_log_lines_carry_the_request_fields(client, caplog):
    with caplog.at_level(logging.INFO, logger="marketplace.request"):
        client.get(reverse("healthz"))
    record = next(r for r in caplog.records if r.name == "marketplace.request")

    line = json.loads(JsonFormatter().format(record))

    assert line["path"] == "/healthz"
    assert line["status"] == 200
    assert line["user_id"] is None
    assert len(line["request_id"]) == 32


def _htmx_request(with_message):
    request = RequestFactory().post("/", HTTP_HX_REQUEST="true")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request.htmx = HtmxDetails(request)
    if with_message:
        messages.success(request, "Service saved.")
    return request


def test_htmx_responses_carry_new_messages_out_of_band():
    middleware = HtmxMessagesMiddleware(lambda request: HttpResponse("<p>fragment</p>"))

    body = middleware(_htmx_request(with_message=True)).content.decode()

    assert body.startswith("<p>fragment</p>")
    assert 'id="messages"' in body and 'hx-swap-oob="true"' in body
    assert "Service saved." in body


def test_htmx_responses_without_messages_are_untouched():
    middleware = HtmxMessagesMiddleware(lambda request: HttpResponse("<p>fragment</p>"))

    assert middleware(_htmx_request(with_message=False)).content == b"<p>fragment</p>"
