"""Phone numbers are stored in E.164 (+14155550123) so they can be dialled from anywhere."""

import phonenumbers
from django.core.exceptions import ValidationError

E164_MAX_LENGTH = 16
# What a person may type, spaces, dashes and brackets included, before it is normalised.
PHONE_INPUT_MAX_LENGTH = 32


def normalize_phone(value: str) -> str:
    """Return `value` in E.164 form, or raise ValidationError saying what is wrong."""
    value = (value or "").strip()
    if not value:
        return ""
    if not value.startswith("+"):
        raise ValidationError(
            "Enter the number with its country code, starting with +, e.g. +14155550123.",
            code="phone_no_country",
        )
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError("Enter a valid phone number.", code="phone_invalid") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError("Enter a valid phone number.", code="phone_invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_e164(value: str) -> None:
    if value and normalize_phone(value) != value:
        raise ValidationError("Phone numbers are stored in E.164 form, e.g. +14155550123.")
