"""The accounts part of the JSON API: sign-up, login, tokens and the caller's profile."""

from allauth.core.internal.httpkit import get_authorization_credential
from allauth.headless import app_settings as headless_settings
from django.core.exceptions import ValidationError
from django.forms import modelform_factory
from ninja import Body, Router, Status

from core.api.auth import jwt_auth
from core.api.errors import ErrorOut

from . import selectors, services, tokens
from .forms import ProfileForm, UserDetailsForm
from .models import UserProfile
from .schemas import (
    REFRESH_EXAMPLE,
    LoginIn,
    LoginOut,
    LogoutIn,
    ProfileIn,
    ProfileOut,
    RefreshIn,
    RegisterIn,
    SignUpAcceptedOut,
    TokensOut,
    UserOut,
)

router = Router(tags=["users"])

# Logout's body is optional: a client logging out with its bearer token may send none.
OPTIONAL_LOGOUT_BODY = Body(None, examples=[{"refresh": REFRESH_EXAMPLE}])


@router.post(
    "/register/",
    response={201: SignUpAcceptedOut, 400: ErrorOut, 429: ErrorOut},
    summary="Sign up as a customer or a provider",
    description="201 with the same answer whether or not the address already has an account, "
    "so that nobody learns who is registered: a new address gets a verification link, a "
    "registered one an email telling its owner that someone tried to sign up (and how to "
    "reset the password). No tokens are issued: log in once the email address is verified. "
    "400 names the fields that are wrong.",
)
def register(request, payload: RegisterIn):
    with tokens.app_client_session(request):
        services.sign_up(request=request, **payload.dict())
    email = payload.email.strip().lower()
    detail = (
        f"Check your inbox: we sent a message to {email}. Follow its link to verify your "
        "email address, then log in."
    )
    return Status(201, {"detail": detail})


@router.post(
    "/login/",
    response={200: LoginOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut},
    summary="Log in with email and password",
    description="Returns an access token, a refresh token and the user. 401 for a wrong email "
    "or password (without saying which), 403 until the email address is verified, 429 after "
    "too many attempts (shared with the site's login form).",
)
def login(request, payload: LoginIn):
    with tokens.app_client_session(request):
        user = services.check_login(request=request, email=payload.email, password=payload.password)
        issued = tokens.issue_tokens(request, user)
    return {**issued, "user": selectors.get_account(user_id=user.pk)}


@router.post(
    "/token/refresh/",
    response={200: TokensOut, 400: ErrorOut, 401: ErrorOut, 429: ErrorOut},
    summary="Trade a refresh token for a new token pair",
    description="Each refresh token works once: use the new one from the answer next time.",
)
def refresh_token(request, payload: RefreshIn):
    return tokens.refresh_tokens(payload.refresh)


@router.post(
    "/logout/",
    response={204: None, 400: ErrorOut, 401: ErrorOut, 429: ErrorOut},
    summary="Log out: revoke a refresh token and the access tokens issued with it",
    description="Ends the API session of the refresh token in the body or, without one, of "
    "the access token sent as `Authorization: Bearer`: its refresh token and every access "
    "token issued in that session stop working at once (other devices stay logged in). "
    "204 also when that session had already ended; 401 when neither is a valid token "
    '(malformed, badly signed or expired); 400 for a body that is not `{"refresh": "..."}`.',
)
def logout(request, payload: LogoutIn | None = OPTIONAL_LOGOUT_BODY):
    access = get_authorization_credential(
        request, headless_settings.JWT_AUTHORIZATION_HEADER_SCHEME
    )
    tokens.log_out(refresh=payload.refresh if payload else None, access=access)
    return Status(204, None)


@router.get(
    "/me/",
    auth=jwt_auth,
    response={200: UserOut, 401: ErrorOut, 429: ErrorOut},
    summary="The caller's profile",
)
def me(request):
    return selectors.get_account(user_id=request.user.pk)


USER_FIELDS = ("first_name", "last_name", "phone")
PROFILE_FIELDS = ("address", "city", "state", "postal_code", "time_zone", "preferred_language")
PREFERENCES = ("email_reminders", "email_review_invitations")
# The site's profile form without the avatar (an upload, not JSON).
ProfileDetailsForm = modelform_factory(UserProfile, form=ProfileForm, fields=PROFILE_FIELDS)


def _own_profile(user_id):
    user = selectors.get_account(user_id=user_id)
    user.profile_or_defaults = UserProfile.objects.filter(user=user).first() or UserProfile(
        user=user
    )
    return user


@router.get(
    "/me/profile/",
    auth=jwt_auth,
    response={200: ProfileOut, 401: ErrorOut, 429: ErrorOut},
    summary="Your details, booking defaults and preferences",
)
def get_profile(request):
    return _own_profile(request.user.pk)


@router.patch(
    "/me/profile/",
    auth=jwt_auth,
    response={200: ProfileOut, 400: ErrorOut, 401: ErrorOut, 429: ErrorOut},
    summary="Change your details, booking defaults or preferences",
    description="Only the fields sent change, checked as the site's profile page checks "
    "them (a phone number with its country code, a known time zone and language); each "
    "wrong one is a 400 naming it, and nothing is saved. Email and password change on the "
    "site, where they are confirmed.",
)
def update_profile(request, payload: ProfileIn):
    user = _own_profile(request.user.pk)
    profile = user.profile_or_defaults
    changes = payload.dict(exclude_unset=True)
    user_form = UserDetailsForm(
        data={name: getattr(user, name) for name in USER_FIELDS} | changes, instance=user
    )
    profile_form = ProfileDetailsForm(
        data={name: getattr(profile, name) for name in PROFILE_FIELDS} | changes,
        instance=profile,
    )
    errors = {}
    for form in (user_form, profile_form):
        if not form.is_valid():
            errors |= {field: list(messages) for field, messages in form.errors.items()}
    if errors:
        raise ValidationError(errors)
    profile_fields = {name: profile_form.cleaned_data[name] for name in PROFILE_FIELDS}
    profile_fields |= {name: changes[name] for name in PREFERENCES if name in changes}
    services.update_profile(
        user=user,
        user_fields={name: user_form.cleaned_data[name] for name in USER_FIELDS},
        profile_fields=profile_fields,
    )
    return _own_profile(request.user.pk)
