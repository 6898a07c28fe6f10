"""JWT access and refresh tokens for API clients, from django-allauth's headless strategy."""

from contextlib import contextmanager
from importlib import import_module

from allauth.headless.constants import Client
from allauth.headless.internal.decorators import mark_request_as_headless
from allauth.headless.tokens.strategies.jwt import JWTTokenStrategy
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.models import AnonymousUser

from core.errors import NotAuthenticated

from .models import User
from .services import AccountError


class InvalidRefreshToken(AccountError, NotAuthenticated):
    """The refresh token is malformed, expired, revoked or was already used."""


@contextmanager
def app_client_session(request):
    """Run allauth flows for a token-based client, as allauth's own headless app views do.

    Inside, the request has a fresh session of its own and no user: the caller's cookie
    session (a browser may send one) is neither read nor changed, no cookie is set and
    allauth adds no flash messages.
    """
    mark_request_as_headless(request, Client.APP)
    caller_session, caller_user = request.session, request.user
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    request.user = AnonymousUser()
    try:
        yield
    finally:
        request.session, request.user = caller_session, caller_user
        # A login inside rotated the CSRF token of that other session; the cookie stays.
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False


def issue_tokens(request, user: User) -> dict[str, str]:
    """Log `user` in and return its {"access", "refresh"} tokens; call in app_client_session.

    Refresh tokens are recorded in the session created here, which is why sessions must be
    shared by every worker (Redis in production).
    """
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    payload = JWTTokenStrategy().create_access_token_payload(request)
    request.session.save()
    return {"access": payload["access_token"], "refresh": payload["refresh_token"]}


def refresh_tokens(refresh: str) -> dict[str, str]:
    """A new token pair for a valid refresh token, which is then spent (rotation)."""
    pair = JWTTokenStrategy().refresh_token(refresh)
    if pair is None:
        raise InvalidRefreshToken(
            "The refresh token is invalid, expired or already used. Log in again."
        )
    access, next_refresh = pair
    return {"access": access, "refresh": next_refresh}
