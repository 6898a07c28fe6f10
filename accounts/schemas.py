"""Request and response bodies of the accounts API, with the examples shown in the docs."""

from ninja import Field, Schema
from pydantic import ConfigDict

from core.api.text import InputSchema
from core.api.types import NoNulls, StrictBool

from .forms import SignupDetailsForm
from .models import User

# The limits the sign-up form and the User model enforce, stated once there (services.sign_up
# validates through that form).
_signup_fields = SignupDetailsForm.base_fields
EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length
ROLE_MAX_LENGTH = User._meta.get_field("role").max_length
SIGNUP_ROLES = [value for value, _label in _signup_fields["role"].choices]

ACCESS_EXAMPLE = "eyJhbGciOiJSUzI1NiIsImtpZCI6Ik...access"
REFRESH_EXAMPLE = "eyJhbGciOiJSUzI1NiIsImtpZCI6Ik...refresh"

CUSTOMER_EXAMPLE = {
    "id": 42,
    "email": "rosa@example.com",
    "first_name": "Rosa",
    "last_name": "Diaz",
    "phone": "+14155550123",
    "role": "CUSTOMER",
    "provider_profile": None,
}
PROVIDER_EXAMPLE = CUSTOMER_EXAMPLE | {
    "id": 43,
    "email": "joe@example.com",
    "first_name": "Joe",
    "last_name": "Pipes",
    "role": "PROVIDER",
    "provider_profile": {
        "business_name": "Joe's Plumbing",
        "slug": "joes-plumbing",
        "verification_status": "VERIFIED",
    },
}


class RegisterIn(InputSchema):
    email: str = Field(max_length=EMAIL_MAX_LENGTH)
    phone: str = Field(
        "",
        max_length=_signup_fields["phone"].max_length,
        description="Optional, with country code (E.164).",
    )
    first_name: str = Field(max_length=_signup_fields["first_name"].max_length)
    last_name: str = Field(max_length=_signup_fields["last_name"].max_length)
    password: str = Field(max_length=4096)
    password_confirm: str = Field(max_length=4096)
    role: str = Field(
        max_length=ROLE_MAX_LENGTH,
        description="CUSTOMER to book workers, PROVIDER to offer services.",
        json_schema_extra={"enum": SIGNUP_ROLES},
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "email": "rosa@example.com",
                    "phone": "+14155550123",
                    "first_name": "Rosa",
                    "last_name": "Diaz",
                    "password": "correct-horse-battery-staple",
                    "password_confirm": "correct-horse-battery-staple",
                    "role": "CUSTOMER",
                }
            ]
        }
    )


class ProviderProfileSummaryOut(Schema):
    business_name: str
    slug: str
    verification_status: str = Field(description="PENDING, VERIFIED or REJECTED.")


class UserOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    phone: str
    role: str = Field(description="CUSTOMER, PROVIDER, ADMIN or SUPERADMIN.")
    provider_profile: ProviderProfileSummaryOut | None = Field(
        None, description="The business profile, for providers only."
    )

    model_config = ConfigDict(json_schema_extra={"examples": [CUSTOMER_EXAMPLE, PROVIDER_EXAMPLE]})

    @staticmethod
    def resolve_provider_profile(user):
        return getattr(user, "provider_profile", None) if user.is_provider else None


class RegisteredOut(Schema):
    detail: str
    user: UserOut

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "detail": "Verify your email: we sent a link to rosa@example.com. "
                    "Log in once it is verified.",
                    "user": CUSTOMER_EXAMPLE,
                }
            ]
        }
    )


class LoginIn(InputSchema):
    email: str = Field(max_length=EMAIL_MAX_LENGTH)
    password: str = Field(max_length=4096)

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"email": "rosa@example.com", "password": "correct-horse-battery-staple"}]
        }
    )


class TokensOut(Schema):
    access: str = Field(description="Send as 'Authorization: Bearer <access>'; short-lived.")
    refresh: str = Field(description="Trade for a new pair at /api/users/token/refresh/ once.")

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"access": ACCESS_EXAMPLE, "refresh": REFRESH_EXAMPLE}]}
    )


class LoginOut(TokensOut):
    user: UserOut

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"access": ACCESS_EXAMPLE, "refresh": REFRESH_EXAMPLE, "user": CUSTOMER_EXAMPLE}
            ]
        }
    )


class RefreshIn(InputSchema):
    refresh: str = Field(max_length=4096)

    model_config = ConfigDict(json_schema_extra={"examples": [{"refresh": REFRESH_EXAMPLE}]})


SIGNED_UP_EXAMPLE = (
    "Check your inbox: we sent a message to rosa@example.com. Follow its link to verify "
    "your email address, then log in."
)


class SignUpAcceptedOut(Schema):
    """The answer to every accepted sign-up, whether or not the address already had an
    account (its owner is emailed instead), so it tells nobody who is registered."""

    detail: str

    model_config = ConfigDict(json_schema_extra={"examples": [{"detail": SIGNED_UP_EXAMPLE}]})


class LogoutIn(InputSchema):
    refresh: str | None = Field(None, max_length=4096)

    model_config = ConfigDict(json_schema_extra={"examples": [{"refresh": REFRESH_EXAMPLE}]})


# --- The caller's own details ------------------------------------------------------------

PROFILE_DETAILS_EXAMPLE = {
    "address": "12 Elm Street, Apt 3",
    "city": "Austin",
    "state": "TX",
    "postal_code": "78701",
    "time_zone": "America/Chicago",
    "preferred_language": "en",
    "email_reminders": True,
    "email_review_invitations": False,
}


class ProfileDetailsOut(Schema):
    address: str = Field(description="The address bookings start from (a default to copy).")
    city: str
    state: str
    postal_code: str
    time_zone: str
    preferred_language: str
    email_reminders: bool = Field(description="Email me a reminder before a booking.")
    email_review_invitations: bool = Field(
        description="Email me an invitation to review finished jobs."
    )


class ProfileOut(UserOut):
    profile: ProfileDetailsOut = Field(description="Defaults for bookings, and preferences.")

    model_config = ConfigDict(
        json_schema_extra={"examples": [CUSTOMER_EXAMPLE | {"profile": PROFILE_DETAILS_EXAMPLE}]}
    )

    @staticmethod
    def resolve_profile(user):
        return user.profile_or_defaults


class ProfileIn(NoNulls, InputSchema):
    """Only the fields sent change; the same rules as the site's profile page."""

    first_name: str = Field(None, max_length=150)
    last_name: str = Field(None, max_length=150)
    phone: str = Field(
        None, max_length=32, description="With its country code, e.g. +14155550123; empty: none."
    )
    address: str = Field(None, max_length=255)
    city: str = Field(None, max_length=100)
    state: str = Field(None, max_length=100)
    postal_code: str = Field(None, max_length=20)
    time_zone: str = Field(None, max_length=64, description="An IANA zone, e.g. America/Chicago.")
    preferred_language: str = Field(None, max_length=8, description="e.g. en.")
    email_reminders: StrictBool = None
    email_review_invitations: StrictBool = None

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"phone": "+14155550123", "address": "12 Elm Street", "email_reminders": False}
            ]
        }
    )
