"""The live stream served by a real uvicorn process: each person receives their own events
only, a reconnect catches up from Last-Event-ID, notifications and messages both arrive."""

import json
import queue
import threading

import pytest
import requests
from django.conf import settings
from django.test import Client

from accounts.tests.factories import CustomerFactory
from messaging import services as messaging_services
from messaging.tests.factories import conversation
from notifications.models import NotificationKind
from notifications.services import notify
from tests.infra.processes import wait_until

from .uvicorn_server import Uvicorn

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def uvicorn_server(django_db_setup, django_db_blocker):
    server = Uvicorn().start()
    yield server
    server.stop()
    assert "Traceback" not in server.output(), server.output()[-3000:]


class Stream:
    """One browser tab's EventSource: reads events in a thread into a queue."""

    def __init__(self, base_url, user, last_event_id=None):
        client = Client()
        client.force_login(user)
        headers = {"Accept": "text/event-stream"}
        if last_event_id:
            headers["Last-Event-ID"] = last_event_id
        self.response = requests.get(
            f"{base_url}/live/events/",
            cookies={
                settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value
            },
            headers=headers,
            stream=True,
            timeout=10,
        )
        self.events = queue.Queue()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        # The first heartbeat says the stream is subscribed: what is published now arrives.
        self.wait_for("ping")

    def _read(self):
        event = {}
        try:
            for line in self.response.iter_lines(decode_unicode=True):
                if line == "":
                    if "event" in event:
                        self.events.put(event)
                    event = {}
                    continue
                field, _, value = line.partition(": ")
                event[field] = value
        except (requests.RequestException, AttributeError, ValueError):
            pass  # closed by the test

    def wait_for(self, kind, timeout=10):
        found = []

        def seen():
            while True:
                try:
                    event = self.events.get_nowait()
                except queue.Empty:
                    return bool(found)
                if event["event"] == kind:
                    found.append(event)
                    return True

        wait_until(seen, timeout=timeout, what=f"a {kind!r} event")
        return found[0]

    def drain(self) -> list[dict]:
        seen = []
        while not self.events.empty():
            seen.append(self.events.get_nowait())
        return [event for event in seen if event["event"] != "ping"]

    def close(self):
        self.response.close()


def test_a_stream_answers_with_server_sent_events(uvicorn_server):
    stream = Stream(uvicorn_server.url, CustomerFactory())

    assert stream.response.status_code == 200
    assert stream.response.headers["Content-Type"].startswith("text/event-stream")
    assert stream.response.headers["X-Accel-Buffering"] == "no"
    stream.close()


def test_anonymous_visitors_get_no_stream(uvicorn_server):
    response = requests.get(f"{uvicorn_server.url}/live/events/", timeout=10)

    assert response.status_code == 401


def test_only_a_participants_own_events_reach_their_stream(uvicorn_server):
    thread = conversation()
    stranger = CustomerFactory()
    provider_stream = Stream(uvicorn_server.url, thread.provider.user)
    stranger_stream = Stream(uvicorn_server.url, stranger)

    message = messaging_services.send_message(
        conversation=thread, sender=thread.customer, body="Are you free on Monday?"
    )

    event = provider_stream.wait_for("message")
    assert json.loads(event["data"]) == {
        "kind": "message",
        "conversation": thread.pk,
        "message": message.pk,
    }
    # Two heartbeats later the stranger has still heard of nothing but heartbeats.
    stranger_stream.wait_for("ping")
    stranger_stream.wait_for("ping")
    assert stranger_stream.drain() == []
    assert "Are you free" not in event["data"]  # ids only; the page fetches what it shows
    provider_stream.close()
    stranger_stream.close()


def test_a_new_notification_reaches_its_recipients_stream(uvicorn_server):
    customer = CustomerFactory()
    stream = Stream(uvicorn_server.url, customer)

    notify(
        recipient=customer,
        kind=NotificationKind.BOOKING_CONFIRMED,
        event_key="live-test",
        title="Confirmed",
    )

    assert json.loads(stream.wait_for("notification")["data"]) == {"kind": "notification"}
    stream.close()


def test_a_reconnect_catches_up_from_last_event_id(uvicorn_server):
    thread = conversation()
    provider = thread.provider.user
    stream = Stream(uvicorn_server.url, provider)
    messaging_services.send_message(conversation=thread, sender=thread.customer, body="one")
    last_seen = stream.wait_for("message")["id"]
    stream.close()

    missed = [
        messaging_services.send_message(conversation=thread, sender=thread.customer, body=text)
        for text in ("two", "three")
    ]
    again = Stream(uvicorn_server.url, provider, last_event_id=last_seen)

    caught_up = [json.loads(again.wait_for("message")["data"])["message"] for _ in missed]
    assert caught_up == [message.pk for message in missed]
    again.close()
