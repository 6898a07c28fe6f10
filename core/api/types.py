"""Input types that take only what the schema says: a JSON number for an integer (not
"3", 3.0 or true), a "YYYY-MM-DD" string for a date (not a Unix timestamp), and no null
for a field that may only be left out."""

from datetime import date
from typing import Annotated

from pydantic import BeforeValidator, Strict, model_validator

StrictInt = Annotated[int, Strict()]
StrictBool = Annotated[bool, Strict()]


def _date_text(value):
    if not isinstance(value, str):
        raise ValueError("Give a date as YYYY-MM-DD.")
    return value


IsoDate = Annotated[date, BeforeValidator(_date_text)]


class NoNulls:
    """For PATCH bodies: a field may be left out, but not sent as null."""

    @model_validator(mode="before")
    @classmethod
    def _no_nulls(cls, data):
        values = getattr(data, "_obj", data)
        if isinstance(values, dict):
            nulls = [name for name, value in values.items() if value is None]
            if nulls:
                raise ValueError(
                    f"Leave out a field you do not change; null is not a value: {', '.join(nulls)}."
                )
        return data
