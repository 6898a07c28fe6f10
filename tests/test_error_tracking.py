"""Error reports reach the DSN (a local stand-in for Sentry) without personal data."""

import json

import pytest
import sentry_sdk
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path
from huey.contrib.djhuey import HUEY

from accounts.tests.factories import CustomerFactory
from marketplace.observability import init_sentry

RELEASE = "marketplace@test-release"


def explode(request):
    user = request.user
    raise RuntimeError(f"could not book for {user.email}")


def fine(request):
    return HttpResponse("fine")


urlpatterns = [
    path("boom/", explode),
    path("fine/", fine),
    path("", include("marketplace.urls")),
]


@HUEY.task()
def failing_reminder(email):
    raise ValueError(f"reminder to {email} could not be sent")


@pytest.fixture
def sentry(sentry_endpoint, settings):
    sentry_endpoint.clear()
    settings.ROOT_URLCONF = __name__
    init_sentry(dsn=sentry_endpoint.dsn, release=RELEASE, environment="test")
    yield sentry_endpoint
    sentry_sdk.flush(timeout=5)
    sentry_sdk.get_client().close()
    # No client at all (not one without a DSN, whose integrations stay enabled): the
    # patched hooks pass through, so later tests' tasks carry no Sentry headers.
    sentry_sdk.get_global_scope().set_client(None)
    assert not sentry_sdk.get_client().is_active()


@pytest.mark.django_db
def test_a_raised_error_is_reported_with_request_id_release_and_no_personal_data(sentry):
    customer = CustomerFactory(email="rosa.diaz@example.com", first_name="Rosa")
    client = Client(raise_request_exception=False)
    client.force_login(customer)

    response = client.post(
        "/boom/",
        {"service_address": "12 Elm Street", "customer_notes": "Gate code 1234"},
        HTTP_X_REQUEST_ID="req-123-abc",
    )
    sentry_sdk.flush(timeout=5)

    assert response.status_code == 500
    (event,) = sentry.events()
    assert event["tags"]["request_id"] == "req-123-abc"
    assert event["release"] == RELEASE
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    sent = json.dumps(event)
    for personal in ("rosa.diaz@example.com", "12 Elm Street", "Gate code 1234", "Rosa"):
        assert personal not in sent
    assert "sessionid" not in sent and "Cookie" not in event["request"].get("headers", {})
    assert "user" not in event or "email" not in event["user"]
    assert not event["request"].get("data")  # no request body at all
    assert "[Filtered]" in event["exception"]["values"][-1]["value"]


@pytest.mark.django_db
def test_a_failed_task_is_reported_with_its_name_and_no_email(sentry):
    failing_reminder("sam.lee@example.com")  # the consumer logs a task's error, never raises
    sentry_sdk.flush(timeout=5)

    (event,) = sentry.events()
    assert event["exception"]["values"][-1]["type"] == "ValueError"
    assert "failing_reminder" in json.dumps(event)
    assert event["release"] == RELEASE
    assert "sam.lee@example.com" not in json.dumps(event)


@pytest.mark.django_db
def test_an_answered_request_sends_nothing(sentry):
    assert Client().get("/fine/").status_code == 200
    sentry_sdk.flush(timeout=5)

    assert sentry.events() == []


def test_the_scrubber_filters_personal_fields_and_email_addresses_anywhere():
    from marketplace.observability import scrub_event

    event = {
        "extra": {"booking": {"service_address": "12 Elm Street", "status": "PENDING"}},
        "breadcrumbs": {"values": [{"message": "mail to ann@example.org failed"}]},
        "request": {"headers": {"Authorization": "Bearer abc"}},
    }

    assert scrub_event(event) == {
        "extra": {"booking": {"service_address": "[Filtered]", "status": "PENDING"}},
        "breadcrumbs": {"values": [{"message": "mail to [Filtered] failed"}]},
        "request": {"headers": {"Authorization": "[Filtered]"}},
    }


def test_settings_start_sentry_with_the_builds_release_when_sentry_dsn_is_set(
    sentry_endpoint, tmp_path
):
    from marketplace.tests.test_settings import PRODUCTION_ENV, manage

    result = manage(
        "shell",
        "-c",
        "import sentry_sdk; o = sentry_sdk.get_client().options;"
        " print(o['dsn'], o['release'], o['environment'], sorted(sentry_sdk.get_client().integrations))",
        env=PRODUCTION_ENV
        | {"DATA_DIR": str(tmp_path), "SENTRY_DSN": sentry_endpoint.dsn, "APP_RELEASE": "abc1234"},
    )

    assert result.returncode == 0, result.stderr
    dsn, release, environment, integrations = result.stdout.strip().splitlines()[-1].split(" ", 3)
    assert (dsn, release, environment) == (sentry_endpoint.dsn, "abc1234", "production")
    assert "'django'" in integrations and "'huey'" in integrations


@HUEY.task()
def echo_arguments(*args, **kwargs):
    return args, kwargs


def test_after_the_reports_tasks_get_only_their_own_arguments():
    # Runs after the tests above in the same process: with a client left enabled, the
    # Huey integration would add `sentry_headers` to every task, which a consumer
    # without Sentry then passes on to the function (a TypeError for most tasks).
    assert not sentry_sdk.get_client().is_active()

    assert echo_arguments("x@example.com", kind="reminder").get() == (
        ("x@example.com",),
        {"kind": "reminder"},
    )
