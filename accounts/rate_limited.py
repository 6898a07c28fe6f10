"""The site's answer to a request over one of django-allauth's rate limits: the site's own
429 page with Retry-After, as the API answers (core/ratelimit.py).

allauth answers an over-limit login, sign-up or password reset with whatever
`<ROOT_URLCONF>.handler429` returns (marketplace.urls points it here). Too many *failed*
logins for one address is a form error in allauth; the adapter records the wait on the
request and RetryAfterMiddleware turns the page into a 429 as well.
"""

from django.conf import settings
from django.shortcuts import render

from accounts.services import allauth_rate_window

# allauth's page → the rate limit (ACCOUNT_RATE_LIMITS) it consumes.
ACTION_OF_PAGE = {
    "account_login": "login",
    "account_signup": "signup",
    "account_reset_password": "reset_password",
    "account_reset_password_from_key": "reset_password_from_key",
    "account_change_password": "change_password",
    "account_email": "manage_email",
    "account_confirm_email": "confirm_email",
    "account_reauthenticate": "reauthenticate",
}


def retry_after_for(request) -> int:
    """Seconds until the page's limit lets the caller in again, at most (allauth does not say
    which of an action's rates refused, so this is its longest window)."""
    match = getattr(request, "resolver_match", None)
    action = ACTION_OF_PAGE.get(match.url_name if match else None)
    if action:
        return allauth_rate_window(action)
    return max(allauth_rate_window(name) for name in settings.ACCOUNT_RATE_LIMITS)


def too_many_requests(request, *, retry_after: int, status: int = 429):
    response = render(
        request, "429.html", {"retry_minutes": max(1, -(-retry_after // 60))}, status=status
    )
    response["Retry-After"] = str(retry_after)
    return response


def handler429(request):
    return too_many_requests(request, retry_after=retry_after_for(request))


class RetryAfterMiddleware:
    """A page re-shown because a rate limit refused the request answers 429 + Retry-After.

    Whoever refused sets `request.rate_limited_for` (seconds); only the page shown again (200)
    changes: errors, redirects and answers that already say Retry-After (the API's) do not.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        retry_after = getattr(request, "rate_limited_for", None)
        if retry_after and response.status_code == 200 and "Retry-After" not in response:
            response.status_code = 429
            response["Retry-After"] = str(retry_after)
        return response
