"""Examples in the API schema dated from today, so one copied from Swagger UI still works.

The examples are written around one week (EXAMPLE_DAY, Tuesday 3 March 2026): a slot on
that day, a booking made the day before. When the schema is built, every date in every
example is moved forward by whole weeks, to the first such week at least LEAD_DAYS ahead of
today, so weekdays stay weekdays and the examples stay consistent with each other.
"""

import re
from datetime import date, timedelta

EXAMPLE_DAY = date(2026, 3, 3)
LEAD_DAYS = 7
_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_EXAMPLE_KEYS = ("example", "examples")


def weeks_ahead(today: date) -> timedelta:
    """How far the examples move: whole weeks, to at least LEAD_DAYS after `today`."""
    behind = (today + timedelta(days=LEAD_DAYS) - EXAMPLE_DAY).days
    return timedelta(weeks=max(0, -(-behind // 7)))


def _moved(value, shift: timedelta):
    if isinstance(value, str):

        def move(match):
            try:
                day = date(*(int(part) for part in match.groups()))
            except ValueError:
                return match.group(0)
            return (day + shift).isoformat()

        return _DATE.sub(move, value)
    if isinstance(value, list):
        return [_moved(item, shift) for item in value]
    if isinstance(value, dict):
        return {key: _moved(item, shift) for key, item in value.items()}
    return value


def dated_from(schema: dict, today: date) -> dict:
    """`schema` with the dates inside its examples moved to the weeks after `today`."""
    shift = weeks_ahead(today)
    seen = set()  # the schema shares some objects between places: move each once

    def walk(node):
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, dict):
            for key, value in node.items():
                if key in _EXAMPLE_KEYS:
                    node[key] = _moved(value, shift)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(schema)
    return schema
