"""What the logs say: readable lines with request id, user and duration in development,
JSON lines in production, and every SQL statement with LOG_LEVEL=DEBUG."""

import json
import logging
import os

import pytest
from django.urls import reverse

from accounts.tests.factories import CustomerFactory
from marketplace.logging import JsonFormatter, ReadableFormatter, RequestIdFilter

from .test_settings import PRODUCTION_ENV, manage

# The server's maintenance database: it exists wherever the suite runs.
MAINTENANCE_DATABASE_URL = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"


def formatted(caplog, formatter, logger_name):
    [record] = [r for r in caplog.records if r.name == logger_name]
    return formatter.format(record)


@pytest.mark.django_db
def test_a_development_line_names_the_request_id_user_and_duration(client, caplog):
    user = CustomerFactory()
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="marketplace.request"):
        client.get(reverse("healthz"), HTTP_X_REQUEST_ID="dev-line-1")

    line = formatted(caplog, ReadableFormatter(), "marketplace.request")

    assert " INFO marketplace.request GET /healthz 200 request_id=dev-line-1 " in line
    assert f" user={user.pk}" in line
    assert "ms" in line.split("duration=")[1]


@pytest.mark.django_db
def test_lines_logged_during_a_request_carry_its_id(client, caplog, monkeypatch):
    from marketplace import health

    monkeypatch.setattr(health, "_cache_ok", lambda: logging.getLogger("probe").warning("x"))
    handler_filter = RequestIdFilter()
    with caplog.at_level(logging.INFO):
        client.get(reverse("healthz"), HTTP_X_REQUEST_ID="inner-line-7")

    [record] = [r for r in caplog.records if r.name == "probe"]
    handler_filter.filter(record)  # what the console handler's filter did for its output
    assert json.loads(JsonFormatter().format(record))["request_id"] == "inner-line-7"


def test_log_level_debug_logs_every_sql_statement_in_development(tmp_path):
    environment = {
        "DEBUG": "true",
        "LOG_LEVEL": "DEBUG",
        "DATA_DIR": str(tmp_path),
        "DATABASE_URL": MAINTENANCE_DATABASE_URL,
    }
    result = manage(
        "shell",
        "-c",
        "from django.db import connection; connection.cursor().execute('SELECT 4242')",
        env=environment,
    )

    assert result.returncode == 0, result.stderr
    [sql] = [line for line in result.stderr.splitlines() if "SELECT 4242" in line]
    assert " DEBUG django.db.backends " in sql


def test_info_logs_no_sql(tmp_path):
    environment = {"DEBUG": "true", "LOG_LEVEL": "INFO", "DATA_DIR": str(tmp_path)}
    result = manage(
        "shell",
        "-c",
        "from django.db import connection; connection.cursor().execute('SELECT 4242')",
        env=environment | {"DATABASE_URL": MAINTENANCE_DATABASE_URL},
    )

    assert result.returncode == 0, result.stderr
    assert "SELECT 4242" not in result.stderr


def test_production_logs_json_lines(tmp_path):
    result = manage(
        "shell",
        "-c",
        "import logging; logging.getLogger('marketplace.request').info('GET / 200', extra={'request_id': 'p-1', 'duration_ms': 3.5})",
        env=PRODUCTION_ENV | {"DATA_DIR": str(tmp_path)},
    )

    assert result.returncode == 0, result.stderr
    [line] = [json.loads(line) for line in result.stderr.splitlines() if "p-1" in line]
    assert line["message"] == "GET / 200"
    assert (line["level"], line["request_id"], line["duration_ms"]) == ("INFO", "p-1", 3.5)
