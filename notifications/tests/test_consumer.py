"""A real Huey consumer, on Redis, runs what a committed transaction enqueued."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection, transaction
from huey.contrib.djhuey import HUEY

from accounts.tests.factories import CustomerFactory
from notifications.models import EmailStatus, Notification, NotificationKind
from notifications.services import notify

REPO = Path(__file__).resolve().parents[2]
DEADLINE_SECONDS = 60


def _test_database_url():
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_notification_committed_here_is_emailed_by_a_real_consumer(tmp_path):
    customer = CustomerFactory(email="queue@example.com")
    HUEY.immediate = False  # through Redis, as in production
    consumer = None
    try:
        with transaction.atomic():
            notification = notify(
                recipient=customer,
                kind=NotificationKind.BOOKING_CONFIRMED,
                event_key="consumer-test",
                title="Queued through Redis",
            )
        consumer = subprocess.Popen(
            [sys.executable, "manage.py", "run_huey", "--workers", "1", "--no-periodic"],
            cwd=REPO,
            env=os.environ | {"DATABASE_URL": _test_database_url(), "DATA_DIR": str(tmp_path)},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + DEADLINE_SECONDS
        while time.monotonic() < deadline:
            notification.refresh_from_db()
            if notification.email_status != EmailStatus.PENDING:
                break
            time.sleep(0.2)  # polling another process, not waiting a fixed time
    finally:
        HUEY.immediate = True
        if consumer is not None:
            consumer.terminate()
            output, _ = consumer.communicate(timeout=30)
    assert notification.email_status == EmailStatus.SENT, output
    assert Notification.objects.get().emailed_at is not None
    assert "Subject: [Marketplace] Queued through Redis" in output  # the console email backend
