"""The site's settings for the Huey consumers that notifications/tests/test_outbox_processes.py
starts: short enough leases that a killed send is retried within a test."""

from marketplace.settings import *  # noqa: F403

NOTIFICATIONS_EMAIL_SEND_TIMEOUT_SECONDS = 3
NOTIFICATIONS_EMAIL_LEASE_SECONDS = 4  # longer than a send can take, as in production
