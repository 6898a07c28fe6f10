"""Security headers and cookie flags with the production settings, on every kind of answer.

The production values are read by loading marketplace.settings in a fresh interpreter with
a production environment (as test_settings.py does), then applied here, so a change to
settings.py is what these tests see. Requests arrive as behind the HTTPS proxy
(X-Forwarded-Proto: https) at the production host name.
"""

import json
import subprocess
import sys

import pytest
from django.test import Client

from accounts.tests.factories import PASSWORD, CustomerFactory
from marketplace.tests.test_settings import PRODUCTION_ENV, REPO

pytestmark = pytest.mark.django_db

HOST = "marketplace.example.com"
HTTPS = {"HTTP_HOST": HOST, "HTTP_X_FORWARDED_PROTO": "https"}
SECURITY_SETTINGS = [
    "DEBUG",
    "ALLOWED_HOSTS",
    "MIDDLEWARE",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "CONTENT_SECURITY_POLICY",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "WHITENOISE_ADD_HEADERS_FUNCTION",
]
READ_SETTINGS = f"""
import json, django
from django.conf import settings
django.setup()
values = {{}}
for name in {SECURITY_SETTINGS!r}:
    value = getattr(settings, name, None)
    values[name] = f"{{value.__module__}}.{{value.__qualname__}}" if callable(value) else value
print(json.dumps(values))
"""


@pytest.fixture(scope="module")
def production_values(tmp_path_factory):
    env = {k: v for k, v in PRODUCTION_ENV.items()} | {
        "DATA_DIR": str(tmp_path_factory.mktemp("production-data")),
        "DJANGO_SETTINGS_MODULE": "marketplace.settings",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-c", READ_SETTINGS],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def production(settings, production_values):
    """This test's settings switched to the production values."""
    from django.utils.module_loading import import_string

    assert production_values["DEBUG"] is False
    for name, value in production_values.items():
        if name == "DEBUG":
            continue
        if name == "SECURE_PROXY_SSL_HEADER" and value:
            value = tuple(value)
        if name == "WHITENOISE_ADD_HEADERS_FUNCTION" and value:
            value = import_string(value)
        setattr(settings, name, value)
    # Static files straight from the app's folders (production serves the collected copies,
    # through the same middleware and the same header hook).
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    return settings


def _assert_security_headers(response, what):
    headers = response.headers
    policy = headers.get("Content-Security-Policy", "")
    script_src = next((d for d in policy.split(";") if d.strip().startswith("script-src")), "")
    assert "default-src 'self'" in policy, f"{what}: no CSP ({policy!r})"
    assert "frame-ancestors 'none'" in policy, what
    assert "'self'" in script_src and "unsafe-inline" not in script_src, what
    assert headers.get("Strict-Transport-Security") == (
        "max-age=31536000; includeSubDomains; preload"
    ), what
    assert headers.get("X-Content-Type-Options") == "nosniff", what
    assert headers.get("Referrer-Policy") == "same-origin", what
    assert headers.get("X-Frame-Options") == "DENY", what


ANONYMOUS_ANSWERS = [
    ("page", "get", "/", 200),
    ("form page", "get", "/accounts/login/", 200),
    ("search page", "get", "/search/?q=plumber", 200),
    ("not found page", "get", "/no-such-page/", 404),
    ("redirect to log in", "get", "/me/", 302),
    ("API JSON", "get", "/api/categories/", 200),
    ("API JSON error", "get", "/api/no-such-operation/", 404),
    ("API 401", "get", "/api/users/me/", 401),
    ("API docs", "get", "/api/docs/", 200),
    ("API schema", "get", "/api/schema/", 200),
    ("health check", "get", "/healthz", 200),
    ("admin login", "get", "/admin/login/", 200),
    ("static file", "get", "/static/css/site.css", 200),
    ("vendored script", "get", "/static/vendor/htmx-2.0.11.min.js", 200),
]


@pytest.mark.parametrize(
    ("what", "method", "path", "status"), ANONYMOUS_ANSWERS, ids=[a[0] for a in ANONYMOUS_ANSWERS]
)
def test_every_kind_of_answer_carries_the_security_headers(production, what, method, path, status):
    response = getattr(Client(), method)(path, **HTTPS)

    assert response.status_code == status, what
    _assert_security_headers(response, what)


def test_signed_in_answers_carry_them_too(production):
    client = Client()
    client.force_login(CustomerFactory())

    for path, status in (
        ("/bookings/", 200),
        ("/dashboard/services/", 403),
        ("/notifications/read-all/", 405),
    ):
        response = client.get(path, **HTTPS)
        assert response.status_code == status, path
        _assert_security_headers(response, path)


@pytest.mark.urls("tests.probe_api_urls")
def test_a_server_error_carries_them_too(production):
    response = Client(raise_request_exception=False).get("/api/probe/bug/", **HTTPS)

    assert response.status_code == 500
    _assert_security_headers(response, "500")


def test_a_rate_limited_page_carries_them_too(production):
    production.ACCOUNT_RATE_LIMITS = production.ACCOUNT_RATE_LIMITS | {"login": "1/m/ip"}
    client = Client()
    client.post("/accounts/login/", {"login": "a@example.com", "password": "x"}, **HTTPS)

    response = client.post("/accounts/login/", {"login": "a@example.com", "password": "x"}, **HTTPS)

    assert response.status_code == 429
    _assert_security_headers(response, "429 page")


def test_plain_http_is_sent_to_https_except_the_health_check(production):
    client = Client()

    page = client.get("/search/", HTTP_HOST=HOST)
    health = client.get("/healthz", HTTP_HOST=HOST)

    assert page.status_code == 301
    assert page["Location"] == f"https://{HOST}/search/"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert health.status_code == 200


def _assert_cookie_flags(cookie, name):
    assert cookie["secure"] is True, f"{name} is not Secure"
    assert cookie["httponly"] is True, f"{name} is not HttpOnly"
    assert cookie["samesite"] in ("Lax", "Strict"), f"{name} has no SameSite"


def test_every_cookie_is_secure_httponly_and_samesite(production):
    CustomerFactory(email="cookie@example.com")
    client = Client()

    form = client.get("/accounts/login/", **HTTPS)
    login = client.post(
        "/accounts/login/", {"login": "cookie@example.com", "password": PASSWORD}, **HTTPS
    )
    after = client.get(login["Location"], **HTTPS)

    set_cookies = [
        (name, morsel)
        for response in (form, login, after)  # the CSRF, session and messages cookies
        for name, morsel in response.cookies.items()
    ]
    assert {"csrftoken", "sessionid", "messages"} <= {name for name, _ in set_cookies}
    for name, morsel in set_cookies:
        if morsel.value == "" and str(morsel["max-age"]) == "0":
            continue  # a deletion (the flash messages, once shown) carries nothing
        _assert_cookie_flags(morsel, name)


def test_pages_send_htmx_the_csrf_token_without_reading_the_cookie(production):
    # CSRF_COOKIE_HTTPONLY is safe because the token reaches HTMX from the page itself.
    body = Client().get("/", **HTTPS).content.decode()

    assert 'hx-headers=\'{"X-CSRFToken": "' in body
