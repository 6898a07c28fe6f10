"""The schema's examples are dated from today (core/api/examples.py)."""

import json
import re
from datetime import date, timedelta

import pytest

from core.api.examples import EXAMPLE_DAY, LEAD_DAYS, dated_from, weeks_ahead

pytestmark = pytest.mark.django_db


def example_dates(schema) -> list[date]:
    found = []

    def walk(node, inside):
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, inside or key in ("example", "examples"))
        elif isinstance(node, list):
            for item in node:
                walk(item, inside)
        elif inside and isinstance(node, str):
            found.extend(date.fromisoformat(d) for d in re.findall(r"\d{4}-\d{2}-\d{2}", node))

    walk(schema, False)
    return found


def test_examples_move_by_whole_weeks_to_after_today():
    today = date(2026, 12, 1)
    schema = {"examples": [{"scheduled_date": "2026-03-03", "created_at": "2026-03-02T13:05Z"}]}

    moved = dated_from(schema, today)

    (example,) = moved["examples"]
    day = date.fromisoformat(example["scheduled_date"])
    assert day >= today + timedelta(days=LEAD_DAYS)
    assert day.weekday() == EXAMPLE_DAY.weekday()
    assert example["created_at"] == f"{day - timedelta(days=1)}T13:05Z"


def test_an_example_already_ahead_stays():
    assert weeks_ahead(EXAMPLE_DAY - timedelta(days=30)) == timedelta(0)


def test_the_served_schema_has_no_example_dated_in_the_past(client):
    from django.utils import timezone

    schema = json.loads(client.get("/api/schema/").content)

    dates = example_dates(schema)
    assert dates
    # Creation and history stamps sit a day or so before the booked day; none has passed.
    assert min(dates) >= timezone.localdate()
    booking = schema["components"]["schemas"]["BookingIn"]["examples"][0]
    assert date.fromisoformat(booking["scheduled_date"]) >= timezone.localdate() + timedelta(
        days=LEAD_DAYS
    )
