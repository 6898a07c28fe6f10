"""The accounts part of the JSON API: sign-up, login, tokens and the caller's profile."""

from ninja import Router, Status

from core.api.auth import jwt_auth
from core.api.errors import ErrorOut

from . import selectors, services, tokens
from .schemas import LoginIn, LoginOut, RefreshIn, RegisteredOut, RegisterIn, TokensOut, UserOut

router = Router(tags=["users"])


@router.post(
    "/register/",
    response={201: RegisteredOut, 400: ErrorOut, 429: ErrorOut},
    summary="Sign up as a customer or a provider",
    description="Creates the account and emails a verification link. No tokens are issued: "
    "log in once the email address is verified.",
)
def register(request, payload: RegisterIn):
    with tokens.app_client_session(request):
        user = services.sign_up(request=request, **payload.dict())
    detail = f"Verify your email: we sent a link to {user.email}. Log in once it is verified."
    return Status(201, {"detail": detail, "user": selectors.get_account(user_id=user.pk)})


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


@router.get(
    "/me/",
    auth=jwt_auth,
    response={200: UserOut, 401: ErrorOut, 429: ErrorOut},
    summary="The caller's profile",
)
def me(request):
    return selectors.get_account(user_id=request.user.pk)
