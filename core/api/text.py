"""One rule for text an API client sends: no control characters.

PostgreSQL text cannot hold NUL (it would be a 500), and no form ever sends the other C0/C1
controls, so they are refused with a 400 naming the field. Fields that hold several lines
(notes, comments, descriptions) keep newline, carriage return and tab.
"""

import unicodedata
from typing import ClassVar

from ninja import Schema
from pydantic import ValidationInfo, field_validator, model_validator

MULTILINE_ALLOWED = frozenset("\n\r\t")


def control_character(value: str, *, multiline: bool) -> str | None:
    """The first control character of `value` that the field may not hold, or None."""
    for char in value:
        if unicodedata.category(char) == "Cc" and not (multiline and char in MULTILINE_ALLOWED):
            return char
    return None


class InputSchema(Schema):
    """Base of every API input (bodies and query strings): a JSON object, whose text fields
    refuse control characters; the names in MULTILINE may hold line breaks and tabs."""

    MULTILINE: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data):
        # ninja's Schema would read attributes off anything (a list gives every default);
        # it hands validators its DjangoGetter wrapper, whose `_obj` is what was sent.
        if not isinstance(getattr(data, "_obj", data), dict):
            raise ValueError("Send a JSON object.")
        return data

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value, info: ValidationInfo):
        if isinstance(value, str):
            char = control_character(value, multiline=info.field_name in cls.MULTILINE)
            if char is not None:
                raise ValueError(
                    f"This text contains a control character (U+{ord(char):04X}) "
                    "that can't be stored; remove it."
                )
        return value
