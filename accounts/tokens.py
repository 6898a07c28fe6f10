"""JWT access and refresh tokens for API clients, from django-allauth's headless strategy.

Every API login opens a session of its own (a django_session row, `cached_db`): the tokens
carry its key (encrypted, as `sid`), the session records which refresh tokens are still
live, and an access token works only while that session exists (allauth's stateful
validation, `HEADLESS_JWT_STATEFUL_VALIDATION_ENABLED`). So ending the session revokes every
token issued from it. Here:

- a refresh locks the session's row (`SELECT ... FOR UPDATE`) and re-reads it from the
  database, so concurrent refreshes of one token serialize and exactly one of them wins;
- a refresh token presented again after it was rotated ends the session (reuse detection),
  unless it was presented within `REFRESH_TOKEN_RACE_SECONDS` of its rotation: that is a
  client's own duplicate request (two tabs, a retry) racing the winner, answered 401 only;
- `POST /api/users/logout/` ends the session of the token it is given;
- a password change, set or reset ends every API session of the account (`ApiSession`).
"""

import time
from contextlib import contextmanager
from importlib import import_module

from allauth.headless import app_settings as headless_settings
from allauth.headless.constants import Client
from allauth.headless.internal.decorators import mark_request_as_headless
from allauth.headless.tokens.strategies.jwt import JWTTokenStrategy
from allauth.headless.tokens.strategies.jwt import internal as jwt_internal
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone

from core.errors import NotAuthenticated

from .models import ApiSession, User
from .services import AccountError


class InvalidRefreshToken(AccountError, NotAuthenticated):
    """The refresh token is malformed, expired, revoked or was already used."""


class InvalidToken(AccountError, NotAuthenticated):
    """Logout got no token of ours: none, malformed, badly signed or expired."""


# Where the session keeps the refresh tokens it already rotated: {jti: [rotated_at, exp]}
# (allauth keeps the live ones under "headless_refresh_tokens"). Entries go once the token
# would have expired anyway: an expired token is refused before its jti is looked at.
ROTATED_REFRESH_TOKENS = "accounts_rotated_refresh_tokens"

# A rotated refresh token presented again less than this many seconds after its rotation is
# a duplicate of the request that rotated it (it got 401, nothing else); later, it is reuse.
DEFAULT_REFRESH_TOKEN_RACE_SECONDS = 10


def _race_seconds() -> float:
    return getattr(settings, "REFRESH_TOKEN_RACE_SECONDS", DEFAULT_REFRESH_TOKEN_RACE_SECONDS)


def _session_store_class():
    return import_module(settings.SESSION_ENGINE).SessionStore


@contextmanager
def app_client_session(request):
    """Run allauth flows for a token-based client, as allauth's own headless app views do.

    Inside, the request has a fresh session of its own and no user: the caller's cookie
    session (a browser may send one) is neither read nor changed, no cookie is set and
    allauth adds no flash messages.
    """
    mark_request_as_headless(request, Client.APP)
    caller_session, caller_user = request.session, request.user
    request.session = _session_store_class()()
    request.user = AnonymousUser()
    try:
        yield
    finally:
        request.session, request.user = caller_session, caller_user
        # A login inside rotated the CSRF token of that other session; the cookie stays.
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False


def issue_tokens(request, user: User) -> dict[str, str]:
    """Log `user` in and return its {"access", "refresh"} tokens; call in app_client_session.

    Refresh tokens are recorded in the session created here (a django_session row, shared by
    every worker), which is recorded as one of the user's API sessions.
    """
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    payload = JWTTokenStrategy().create_access_token_payload(request)
    request.session.save()
    ApiSession.objects.create(session_id=request.session.session_key, user=user)
    return {"access": payload["access_token"], "refresh": payload["refresh_token"]}


def _locked_session(session_key: str):
    """The session `session_key`, its row locked until the transaction ends, read from the
    database (never the cache, which may be behind); None if it ended or expired."""
    store = _session_store_class()(session_key=session_key)
    row = (
        store.get_model_class()
        .objects.select_for_update()
        .filter(session_key=session_key, expire_date__gt=timezone.now())
        .first()
    )
    if row is None:
        return None
    # What SessionBase.load() would set, from the locked row rather than from the cache.
    store._session_cache = store.decode(row.session_data)
    return store


def _end_session(store) -> None:
    """Delete the session (row and cache): every token issued from it stops working."""
    session_key = store.session_key
    store.delete()
    ApiSession.objects.filter(session_id=session_key).delete()
    # cached_db: a reader may have cached the row again before the delete committed.
    prefix = getattr(store, "cache_key_prefix", None)
    if prefix:
        cache = caches[settings.SESSION_CACHE_ALIAS]
        transaction.on_commit(lambda: cache.delete(prefix + session_key))


def _rotate(payload: dict, session_key: str, arrived_at: float) -> dict[str, str] | None:
    """Inside a transaction: the new pair, or None (and the session ended on reuse)."""
    store = _locked_session(session_key)
    if store is None:
        return None
    user = jwt_internal.validate_token_user(payload, store)  # same user, active, same password
    if user is None:
        return None
    jti, now = payload["jti"], time.time()
    live = jwt_internal.get_refresh_token_state(store)
    rotated = {
        j: seen for j, seen in store.get(ROTATED_REFRESH_TOKENS, {}).items() if seen[1] > now
    }
    if live.get(jti, 0) <= now:
        if jti in rotated and arrived_at >= rotated[jti][0] + _race_seconds():
            _end_session(store)  # a spent token came back: someone else may hold the new one
        return None
    strategy = JWTTokenStrategy()
    pair = {"access": jwt_internal.create_access_token(user, store, strategy.get_claims(user))}
    if headless_settings.JWT_ROTATE_REFRESH_TOKEN:
        jwt_internal.invalidate_refresh_token(store, payload)
        pair["refresh"] = jwt_internal.create_refresh_token(user, store)
        rotated[jti] = [now, payload["exp"]]
        store[ROTATED_REFRESH_TOKENS] = rotated
    store.save()
    return pair


def refresh_tokens(refresh: str) -> dict[str, str]:
    """A new token pair for a valid refresh token, which is then spent (rotation).

    Concurrent refreshes of one token serialize on its session's row: one gets the pair,
    the others 401. A token rotated more than REFRESH_TOKEN_RACE_SECONDS ago that comes back
    ends its session, so the pair issued from it stops working too.
    """
    arrived_at = time.time()
    payload = jwt_internal.decode_token(refresh, "refresh")
    session_key = jwt_internal.session_key_from_sid(payload["sid"]) if payload else None
    pair = None
    if session_key:
        # The transaction ends before we answer, so that ending a session on reuse commits.
        with transaction.atomic():
            pair = _rotate(payload, session_key, arrived_at)
    if pair is None:
        raise InvalidRefreshToken(
            "The refresh token is invalid, expired or already used. Log in again."
        )
    pair.setdefault("refresh", refresh)
    return pair


def log_out(*, refresh: str | None = None, access: str | None = None) -> None:
    """End the session of `refresh` (or, without one, of the access token `access`).

    Idempotent: a token of ours whose session already ended is fine. InvalidToken when no
    token of ours was given (none, malformed, badly signed or expired).
    """
    payload = None
    if refresh:
        payload = jwt_internal.decode_token(refresh, "refresh")
    elif access:
        payload = jwt_internal.decode_token(access, "access")
    session_key = jwt_internal.session_key_from_sid(payload["sid"]) if payload else None
    if not session_key:
        raise InvalidToken("Send the refresh token in the body, or a valid access token as Bearer.")
    with transaction.atomic():
        store = _locked_session(session_key)
        if store is not None:
            _end_session(store)


def revoke_api_sessions(user: User) -> int:
    """End every API session of `user` (log out everywhere); the browser's is not one."""
    keys = list(ApiSession.objects.filter(user=user).values_list("session_id", flat=True))
    with transaction.atomic():
        for session_key in keys:
            store = _locked_session(session_key)
            if store is not None:
                _end_session(store)
        ApiSession.objects.filter(session_id__in=keys).delete()
    return len(keys)


def revoke_api_sessions_on_password_change(sender, request=None, user=None, **kwargs):
    """Receiver of allauth's password_changed, password_set and password_reset."""
    if user is not None and user.pk:
        revoke_api_sessions(user)
