"""Error tracking: sentry-sdk when SENTRY_DSN is set (marketplace/settings.py calls
`init_sentry`), with the Django and Huey integrations.

No personal data leaves by default: no user details, cookies, IP addresses, request
bodies, SQL parameters or task arguments (`data_collection`), no frame local variables
(a booking's repr would carry an address), keys that name personal fields scrubbed
everywhere in the event, and any email address in any string (an exception's message, a
breadcrumb's log line) replaced. Each event carries the request id (RequestLogMiddleware
tags it), the release (SENTRY_RELEASE, else the image's APP_RELEASE build argument) and
the environment.
"""

import re

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.huey import HueyIntegration
from sentry_sdk.scrubber import DEFAULT_DENYLIST, DEFAULT_PII_DENYLIST

FILTERED = "[Filtered]"
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")

# Field names of the marketplace's personal data (accounts, bookings, reviews, messages).
PERSONAL_KEYS = [
    "email",
    "phone",
    "phone_number",
    "first_name",
    "last_name",
    "full_name",
    "address",
    "service_address",
    "service_postal_code",
    "postal_code",
    "street",
    "customer_notes",
    "notes",
    "comment",
    "reply",
    "body",
    "text",
    "message_text",
    "reason",
    "username",
]


# sentry-sdk's own secrets and PII lists (passwords, tokens, IP addresses), and ours.
SCRUBBED_KEYS = frozenset(
    k.lower() for k in DEFAULT_DENYLIST + DEFAULT_PII_DENYLIST + PERSONAL_KEYS
)


def _scrub(value):
    if isinstance(value, str):
        return EMAIL.sub(FILTERED, value)
    if isinstance(value, dict):
        return {
            key: FILTERED
            if isinstance(key, str) and key.lower() in SCRUBBED_KEYS and item
            else _scrub(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_scrub(item) for item in value]
    return value


def scrub_event(event, hint=None):
    """before_send / before_send_transaction: no personal field's value and no email
    address survive anywhere in the event."""
    return _scrub(event)


def scrub_breadcrumb(crumb, hint=None):
    return _scrub(crumb)


def init_sentry(*, dsn, release=None, environment=None, traces_sample_rate=0.0):
    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration(), HueyIntegration()],
        release=release,
        environment=environment,
        traces_sample_rate=traces_sample_rate,
        # What integrations collect (sentry-sdk's successor to send_default_pii).
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {
                "request": {
                    "mode": "denylist",
                    "terms": ["forwarded", "-ip", "remote-", "via", "-user", "cookie"],
                }
            },
            "http_bodies": [],
            "database_query_data": False,
            "queues": False,
            "stack_frame_variables": False,
            "gen_ai": {"inputs": False, "outputs": False},
            "graphql": {"document": False, "variables": False},
        },
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        before_breadcrumb=scrub_breadcrumb,
    )
