"""The email outbox with real processes: a Huey consumer on Redis, killed with SIGKILL and
restarted, a real SMTP server (aiosmtpd) that can hang in the middle of a message, and a
queue that refuses the enqueue. Each ends with exactly one email per event and recipient, and
the client got the answer it should."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from django.db import connection
from django.test import Client
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from huey.storage import RedisStorage

from accounts.tests.factories import CityFactory, CustomerFactory
from booking.models import Booking
from booking.tests.factories import bookable_service
from notifications import tasks
from notifications.models import EmailStatus, Notification
from tests.api_client import bearer, send

pytestmark = pytest.mark.django_db(transaction=True)  # the consumers must see the rows

REPO = Path(__file__).resolve().parents[2]
QUEUE_REDIS_URL = "redis://127.0.0.1:6379/13"  # these tests' queues only, apart from the suite's
DEADLINE_SECONDS = 20
CREATE = "/api/bookings/create/"


def wait_until(condition, what, *, log=None):
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)  # polling other processes, not waiting a fixed time
    details = "" if log is None else f"\nconsumer output:\n{log()}"
    raise AssertionError(f"not {what} within {DEADLINE_SECONDS}s{details}")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MailServer:
    """An SMTP server that keeps every message it accepts. With `hang_first`, it holds the
    first message at the end of DATA (the client waits for its answer) until `release`
    is set, then refuses it: that one never counts as delivered."""

    def __init__(self, *, hang_first=False):
        self.accepted = []
        self.hang_first = hang_first
        self.mid_send = threading.Event()
        self.release = threading.Event()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        if self.hang_first and not self.mid_send.is_set():
            self.mid_send.set()
            await asyncio.get_running_loop().run_in_executor(
                None, self.release.wait, DEADLINE_SECONDS
            )
            return "451 4.3.0 Try again later"
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.accepted.append((tuple(envelope.rcpt_tos), str(message["Subject"])))
        return "250 OK"

    def received(self, notification):
        subject = " ".join(f"[Marketplace] {notification.title}".split())
        return self.accepted.count(((notification.recipient.email,), subject))


@pytest.fixture
def mail_server():
    servers = []

    def start(**options):
        server = MailServer(**options)
        server.controller.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.release.set()
        server.controller.stop()


@pytest.fixture
def queue():
    """This test's own Huey queue on Redis, which the test process and its consumers share."""
    name = f"outbox-test-{uuid.uuid4().hex[:12]}"
    storage = RedisStorage(name=name, url=QUEUE_REDIS_URL)
    storage.conn.ping()  # no Redis: fail here, loudly
    HUEY.immediate = False  # the suite runs tasks in-process; these go through Redis
    suite_storage, HUEY.storage = HUEY.storage, storage
    try:
        yield storage
    finally:
        storage.flush_all()
        HUEY.storage = suite_storage
        HUEY.immediate = True


@pytest.fixture
def consumers(queue, tmp_path):
    """start(mail_server) runs `manage.py run_huey` against the test database and this
    test's queue; all are killed at the end."""
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    started = []

    def start(server):
        log_path = tmp_path / f"consumer-{len(started)}.log"
        env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "notifications.tests.consumer_settings",
            "DATABASE_URL": database_url,
            "REDIS_URL": QUEUE_REDIS_URL,
            "HUEY_NAME": queue.name,
            "HUEY_IMMEDIATE": "false",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(server.port),
            "EMAIL_USE_TLS": "false",
            "DATA_DIR": str(tmp_path),
        }
        with log_path.open("w") as log:
            process = subprocess.Popen(
                [sys.executable, "manage.py", "run_huey", "--workers", "2"],
                cwd=REPO,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        process.log = log_path.read_text
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def kill_hard(process):
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


@pytest.fixture
def booked_service():
    return bookable_service(city=CityFactory(name="Austin", state="TX"))


def book(service, customer):
    """The customer books 10:00 (Chicago) on a weekday a few days ahead, through the API."""
    day = timezone.localdate() + timedelta(days=3)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    payload = {
        "service": service.pk,
        "scheduled_date": day.isoformat(),
        "scheduled_time": "10:00",
        "estimated_duration_minutes": service.duration_minutes,
        "service_address": "12 Elm Street",
        "service_city": service.provider.cities.first().slug,
        "service_state": "TX",
        "service_postal_code": "78701",
    }
    return send(Client(), "post", CREATE, payload, **bearer(customer))


def settled(notification):
    notification.refresh_from_db()
    return notification.email_status != EmailStatus.PENDING


def test_a_consumer_killed_mid_send_is_replaced_and_the_email_goes_once(
    booked_service, mail_server, consumers
):
    server = mail_server(hang_first=True)
    first = consumers(server)
    customer = CustomerFactory()

    response = book(booked_service, customer)

    assert response.status_code == 201, response.content
    # The request to the provider and the customer's own receipt.
    notifications = list(Notification.objects.order_by("pk"))
    assert [n.recipient for n in notifications] == [booked_service.provider.user, customer]
    wait_until(server.mid_send.is_set, "in the middle of the message", log=first.log)
    # The consumer's other worker sends the other email. Kill only once that one is on
    # record as sent: killed between the server's 250 and that record, it would go twice
    # (SMTP has no idempotent delivery), which is not what this test is about.
    wait_until(
        lambda: sum(settled(n) for n in notifications) == 1, "the other one sent", log=first.log
    )
    kill_hard(first)
    server.release.set()  # the dead sender's message is refused, as the connection dropped
    # The hung attempt is on record (the old row lock rolled it back to 0 and lost the email).
    for notification in notifications:
        notification.refresh_from_db()
    hung = [
        n for n in notifications if n.email_status == EmailStatus.PENDING and n.email_attempts == 1
    ]
    assert len(hung) == 1, [(n.email_status, n.email_attempts) for n in notifications]
    assert len(server.accepted) == 1

    second = consumers(server)
    wait_until(lambda: all(map(settled, notifications)), "sent after the restart", log=second.log)

    assert [n.email_status for n in notifications] == [EmailStatus.SENT] * 2, second.log()
    assert max(n.email_attempts for n in notifications) == 2  # the hung one, tried again
    assert [server.received(n) for n in notifications] == [1, 1]
    assert len(server.accepted) == 2


def test_a_refused_enqueue_still_books_and_the_sweeper_sends_the_email_once(
    booked_service, mail_server, consumers, queue, monkeypatch, caplog, time_machine
):
    def refuse(*args, **kwargs):
        raise redis.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    server = mail_server()
    customer = CustomerFactory()
    monkeypatch.setattr(queue, "enqueue", refuse)  # the cache and the database still work

    response = book(booked_service, customer)

    assert response.status_code == 201, response.content
    assert Booking.objects.filter(customer=customer).count() == 1
    notifications = list(Notification.objects.order_by("pk"))
    assert [(n.email_status, n.email_attempts) for n in notifications] == [
        (EmailStatus.PENDING, 0)
    ] * 2
    assert "enqueue failed, the sweeper will send it" in caplog.text

    monkeypatch.undo()  # the queue is back
    consumer = consumers(server)
    # The sweep a minute later, as the periodic task runs it.
    time_machine.move_to(timezone.now() + timedelta(seconds=61))
    assert tasks.sweep_owed_emails.call_local() == 2
    wait_until(lambda: all(map(settled, notifications)), "sent by the sweeper", log=consumer.log)

    assert [n.email_status for n in notifications] == [EmailStatus.SENT] * 2, consumer.log()
    assert [server.received(n) for n in notifications] == [1, 1]
    assert len(server.accepted) == 2


def test_a_consumer_restarted_after_a_crash_sends_what_was_queued_or_lost_once(
    booked_service, mail_server, consumers, queue, settings
):
    # Emails are due for the sweeper at once, so that the restarted consumer's sweep
    # doubles the tasks still queued: the claim must make the second of each a no-op.
    settings.NOTIFICATIONS_EMAIL_SWEEP_AFTER_SECONDS = 0
    server = mail_server()
    customer, provider = CustomerFactory(), booked_service.provider.user
    crashed = consumers(server)
    wait_until(lambda: "Huey consumer started" in crashed.log(), "started", log=crashed.log)
    kill_hard(crashed)

    # While no consumer runs: a request (to the provider, and the customer's receipt),
    # whose tasks Redis then loses (it keeps nothing on disk and restarted), and its
    # confirmation, whose task stays queued.
    created = book(booked_service, customer)
    queue.flush_queue()
    reference = created.json()["booking_reference"]
    confirmed = send(
        Client(),
        "post",
        f"/api/bookings/{reference}/status/",
        {"status": "CONFIRMED"},
        **bearer(provider),
    )
    assert (created.status_code, confirmed.status_code) == (201, 200), confirmed.content
    assert queue.queue_size() == 1

    restarted = consumers(server)
    notifications = list(Notification.objects.order_by("pk"))
    wait_until(lambda: all(map(settled, notifications)), "all sent", log=restarted.log)

    # The request to the provider, the customer's receipt of it, then the confirmation.
    assert [n.recipient for n in notifications] == [provider, customer, customer]
    assert [n.email_status for n in notifications] == [EmailStatus.SENT] * 3, restarted.log()
    assert [server.received(n) for n in notifications] == [1, 1, 1]
    assert len(server.accepted) == 3
