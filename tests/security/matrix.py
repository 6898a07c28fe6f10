"""How the access matrix asks: one request per role, each rolled back, answers in classes.

An answer is classed as its status code, except redirects, which say where they go:
LOGIN (the site's login page, with ?next=), ADMIN_LOGIN (the admin's), REDIRECT (elsewhere).
"""

import json
from dataclasses import dataclass

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from marketplace.api import api

from .world import B_ROLES, ROLES, access_token, fingerprint, rolled_back

LOGIN = "login"
ADMIN_LOGIN = "admin-login"
REDIRECT = "redirect"


def row(*outcomes):
    """Expected outcomes in ROLES order: anonymous, customer A, customer B, provider A,
    provider B, Admin, Superadmin."""
    assert len(outcomes) == len(ROLES), outcomes
    return dict(zip(ROLES, outcomes, strict=True))


def every(outcome):
    return row(*[outcome] * len(ROLES))


def signed_in(outcome, anonymous=LOGIN):
    """Anonymous visitors are sent to log in; everyone else gets `outcome`."""
    return row(anonymous, *[outcome] * (len(ROLES) - 1))


def outcome_of(response) -> str | int:
    if 300 <= response.status_code < 400:
        location = response["Location"]
        if location.startswith("/accounts/login/"):
            return LOGIN
        if location.startswith("/admin/login/"):
            return ADMIN_LOGIN
        return REDIRECT
    return response.status_code


# --- Walking the URL configuration ----------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name", or the full route for unnamed patterns
    route: str
    callback_module: str

    @property
    def is_api_operation(self):
        return self.callback_module == "ninja.operation"


def url_patterns() -> list[Pattern]:
    """Every pattern the site answers, allauth's and the admin's included."""
    found = []

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry, prefix + str(entry.pattern), inner)
            else:
                assert isinstance(entry, URLPattern)
                route = prefix + str(entry.pattern)
                if entry.name:
                    key = f"{namespace}:{entry.name}" if namespace else entry.name
                else:
                    key = route
                found.append(Pattern(key, route, entry.callback.__module__))

    walk(get_resolver(), "", "")
    return found


def api_operations() -> list[str]:
    """Every API operation as "METHOD /api/path/", from the live OpenAPI schema."""
    schema = api.get_openapi_schema()
    return sorted(
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
    )


# --- Asking as each role --------------------------------------------------------------------


@dataclass
class Ask:
    """One request to make as every role, and what each role must get."""

    expected: dict
    method: str = "get"
    data: object = None  # form data, or a JSON body for the API
    query: str = ""
    json: bool = False
    private_to_a: bool = True  # B's answers must not show A's private details


def client_for(world, role, *, api: bool) -> Client:
    user = world.user(role)
    if api:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {access_token(user)}"} if user else {}
        return Client(**headers)
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def private_markers(side) -> list[str]:
    """Text only A (and the marketplace team) may see."""
    return [
        side.booking.booking_reference,
        side.completed_booking.booking_reference,
        side.booking.customer_notes,
        side.customer.email,
        side.notification.title,
        side.provider_notification.title,
        # Quotes (#22): what A's customer asked for.
        *([side.quote_request.description] if side.quote_request else []),
        # #22: what A's customer and provider wrote to each other.
        *side.conversation.messages.values_list("body", flat=True),
    ]


def check(world, url: str, ask: Ask, *, api: bool = False) -> list[str]:
    """Make the request as every role; return what went differently from `ask.expected`."""
    problems = []
    markers = private_markers(world.a)
    full_url = f"{url}?{ask.query}" if ask.query else url
    for role in ROLES:
        client = client_for(world, role, api=api)
        watch = role in B_ROLES and ask.method != "get"
        before = fingerprint(world.a) if watch else None
        with rolled_back():
            if ask.json:
                body = json.dumps(ask.data) if ask.data is not None else None
                response = getattr(client, ask.method)(full_url, body, "application/json")
            elif ask.method in ("get", "delete"):
                response = getattr(client, ask.method)(full_url)
            else:
                response = getattr(client, ask.method)(full_url, ask.data or {})
            got = outcome_of(response)
            after = fingerprint(world.a) if watch else None
        want = ask.expected[role]
        if got != want:
            problems.append(f"{role}: expected {want}, got {got}")
        if role in B_ROLES:
            if after != before:
                problems.append(f"{role}: changed A's data with {ask.method.upper()} {url}")
            content = b"" if getattr(response, "streaming", False) else response.content
            if ask.private_to_a:
                # What the URL itself says (a 404 page may repeat it) is no leak.
                leaked = [m for m in markers if m.encode() in content and m not in url]
                if leaked:
                    problems.append(f"{role}: sees A's private {leaked}")
    return problems
