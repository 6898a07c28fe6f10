"""The API against its own schema: schemathesis sends every operation of /api/schema/ valid
and invalid requests (bounded and deterministic) over HTTP to a live server.

The schema is the API's own, loaded when the module is collected (schemathesis's lazy
pytest fixture loader does not work with pytest 9); a test checks that the live server
serves exactly that schema.

Each call is then sent again with a control character in every text it carries (NUL,
BEL, ESC, DEL), which must be a 4xx too. Each answer must be no 5xx, have a status code, content type and body the schema declares,
reject invalid data with a 4xx, and every 4xx must be a JSON `{"detail": "..."}` body.
Calls carry a real access token (a provider's for managing services, a customer's for
everything else) and point at real objects, so they get past authentication and 404s.
"""

import json
from datetime import timedelta

import hypothesis
import pytest
import requests
import schemathesis
from django.utils import timezone
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from booking import services as booking_services
from booking.models import WeeklyAvailability
from booking.tests.factories import BookingFactory, bookable_service
from marketplace.api import api
from notifications.models import NotificationKind
from notifications.services import notify

from .world import access_token

# The live server's thread sees only committed rows. No serialized_rollback: it clashes
# with the flushes of earlier transactional tests in the same worker (see the browser
# tests), and nothing here needs the migrated rows (the Admin group's permissions).
pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES_PER_OPERATION = 12
SERVICE_OPERATIONS = ("/api/services/create/", "/api/services/{service_id}/")
# Path parameters filled with the fuzz world's real objects.
PATH_OBJECTS = (
    "service_id",
    "booking_reference",
    "slug",
    "interval_id",
    "time_off_id",
    "notification_id",
    "conversation_id",  # #22
    "message_id",
    "quote_reference",  # quotes (#22)
)


def _is_providers(path: str) -> bool:
    """Operations a provider's token gets past (their services, their schedule)."""
    return path in SERVICE_OPERATIONS or path.startswith("/api/me/")


def json_error_body(ctx, response, case):
    """Every 4xx answer is JSON with a readable `detail`."""
    if 400 <= response.status_code < 500:
        content_type = response.headers.get("content-type", [""])[0]
        assert content_type.startswith("application/json"), (
            f"{response.status_code} answered as {content_type!r}"
        )
        body = json.loads(response.content)
        assert isinstance(body, dict) and isinstance(body.get("detail"), str) and body["detail"], (
            f"{response.status_code} without a detail: {body!r}"
        )


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    json_error_body,
]


CONFIG = {
    "seed": 20261125,
    "generation": {"mode": "all", "max-examples": EXAMPLES_PER_OPERATION, "deterministic": True},
    "phases": {"stateful": {"enabled": False}},
}
schema = schemathesis.openapi.from_dict(
    api.get_openapi_schema(), config=schemathesis.Config.from_dict(CONFIG)
)


@pytest.fixture
def live_api(live_server, settings):
    # Fuzzing sends far more requests than anyone may; the limits have tests of their own.
    settings.API_RATE_LIMIT_ANON = settings.API_RATE_LIMIT_USER = "1000000/h"
    settings.API_RATE_LIMIT_BOOKING_CREATE = "1000000/h"
    settings.MESSAGING_SEND_RATE_PER_USER = "1000000/h"  # #22
    settings.MESSAGING_SEND_RATE_PER_CONVERSATION = "1000000/h"
    settings.ACCOUNT_RATE_LIMITS = {}
    return live_server.url


@pytest.fixture
def fuzz_world():
    service = bookable_service()
    booking = BookingFactory(service=service)
    provider = service.provider
    time_off = booking_services.add_time_off(
        provider=provider,
        start_date=timezone.localdate() + timedelta(days=40),
        end_date=timezone.localdate() + timedelta(days=41),
    )
    notification = notify(
        recipient=booking.customer,
        kind=NotificationKind.BOOKING_CONFIRMED,
        event_key="fuzz",
        title="Fuzz",
    )
    return {
        "service_id": service.pk,
        "booking_reference": booking.booking_reference,
        "slug": provider.slug,
        "interval_id": WeeklyAvailability.objects.filter(provider=provider).first().pk,
        "time_off_id": time_off.pk,
        "notification_id": notification.pk,
        **_conversation(booking),
        **_quote_request(booking),
        "customer": {"Authorization": f"Bearer {access_token(booking.customer)}"},
        "provider": {"Authorization": f"Bearer {access_token(service.provider.user)}"},
    }


def _conversation(booking):
    """The customer's conversation with the provider, the provider's answer in it (#22)."""
    from messaging import services as messaging_services

    thread = messaging_services.conversation_for_booking(user=booking.customer, booking=booking)
    messaging_services.send_message(conversation=thread, sender=booking.customer, body="Hi")
    answer = messaging_services.send_message(
        conversation=thread, sender=booking.provider.user, body="Hello"
    )
    return {"conversation_id": thread.pk, "message_id": answer.pk}


def _quote_request(booking):
    """The customer's quote request on a price-on-quote service of the provider, quoted, so
    every quote operation reaches a real one (#22)."""
    from catalog.models import PricingType
    from quotes.tests.factories import quoted, requested

    service = bookable_service(provider=booking.provider, pricing_type=PricingType.QUOTE)
    asked = requested(service=service, customer=booking.customer)
    return {"quote_reference": quoted(quote_request=asked).reference}


def test_the_live_server_serves_the_schema_under_test(live_api):
    served = requests.get(f"{live_api}/api/schema/", timeout=10)

    assert served.status_code == 200
    assert served.json() == json.loads(json.dumps(api.get_openapi_schema()))


@schema.parametrize()
# With a token and without: public operations must hold up for anonymous callers too, and
# the rest must refuse them properly. (This parametrization also gives every operation a
# test id of its own: schemathesis's are all alike under pytest 9, and pytest-xdist then
# reported one result for them all.)
@pytest.mark.parametrize("caller", ["token", "anonymous"])
# The objects are made once per operation, on purpose; the live server takes its time.
@hypothesis.settings(suppress_health_check=list(hypothesis.HealthCheck), deadline=None)
def test_api_answers_match_its_schema(case, caller, live_api, fuzz_world):
    if not case.meta or not case.meta.generation.mode.is_negative:
        # Real objects, so valid calls get past "not found".
        for name in PATH_OBJECTS:
            if case.path_parameters and name in case.path_parameters:
                case.path_parameters[name] = fuzz_world[name]
        if isinstance(case.body, dict):
            for field, name in (("service", "service_id"), ("booking", "booking_reference")):
                if field in case.body:
                    case.body[field] = fuzz_world[name]
    who = "provider" if _is_providers(case.path) else "customer"
    headers = fuzz_world[who] if caller == "token" else {}

    case.call_and_validate(base_url=live_api, headers=headers, checks=CHECKS)

    # The same call again with bytes no form sends in every text it carries: NUL and other
    # control characters must be a 4xx naming the field, never a 5xx.
    if _poison(case):
        case.call_and_validate(base_url=live_api, headers=headers, checks=POISON_CHECKS)


POISON_CHECKS = [not_a_server_error, json_error_body]
CONTROL_CHARACTERS = ("\x00", "\x07", "\x1b", "\x7f")


def _poison(case) -> bool:
    """Put a control character into each string of the case's body and query; False if it
    holds none."""
    poisoned = False
    for index, source in enumerate((case.body, case.query)):
        if not isinstance(source, dict):
            continue
        for position, (field, value) in enumerate(list(source.items())):
            if isinstance(value, str):
                char = CONTROL_CHARACTERS[(index + position) % len(CONTROL_CHARACTERS)]
                source[field] = f"{value[:1]}{char}{value[1:]}"
                poisoned = True
    return poisoned
