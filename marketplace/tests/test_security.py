from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from accounts.tests.factories import PASSWORD, CustomerFactory

pytestmark = pytest.mark.django_db


def test_post_without_csrf_token_is_refused():
    CustomerFactory(email="csrf@example.com")
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse("account_login"), {"login": "csrf@example.com", "password": PASSWORD}
    )

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_pages_forbid_inline_scripts_and_framing(client):
    response = client.get(reverse("catalog:home"))

    policy = response["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "'self'" in script_src
    assert "unsafe-inline" not in script_src
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_redirect_to_https_carries_the_same_protections(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get(reverse("catalog:home"))

    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


class ScriptsAndHandlers(HTMLParser):
    """Every <script> element of a page (its attributes and text) and every attribute that
    runs script: on*= handlers and htmx's hx-on*."""

    def __init__(self, html):
        super().__init__()
        self.scripts, self.handlers, self._open_script = [], [], None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.handlers += [
            (tag, name, value) for name, value in attrs if name.startswith(("on", "hx-on"))
        ]
        if tag == "script":
            self._open_script = {"attrs": dict(attrs), "text": ""}
            self.scripts.append(self._open_script)

    def handle_endtag(self, tag):
        if tag == "script":
            self._open_script = None

    def handle_data(self, data):
        if self._open_script is not None:
            self._open_script["text"] += data


def assert_only_the_sites_own_script_files(html):
    page = ScriptsAndHandlers(html)
    assert page.scripts, "no <script> at all: is this the site's page?"
    foreign = [
        script
        for script in page.scripts
        if script["text"].strip()
        or not (script["attrs"].get("src") or "").startswith(settings.STATIC_URL)
    ]
    assert foreign == []  # no inline scripts (the CSP would block them), no outside files
    assert page.handlers == []


def test_every_page_sends_the_csrf_token_to_htmx(client):
    body = client.get(reverse("catalog:home")).content.decode()

    assert 'hx-headers=\'{"X-CSRFToken": "' in body
    assert_only_the_sites_own_script_files(body)


SCRIPT_PAYLOAD = (
    '<script src="https://evil.example/x.js"></script>'
    '"><img src=x onerror=alert(1)><a hx-on:click="alert(2)" onclick=alert(3)>'
)


def test_markup_typed_into_the_search_box_comes_back_as_text(client):
    response = client.get(reverse("catalog:search"), {"q": SCRIPT_PAYLOAD})

    body = response.content.decode()
    assert response.status_code == 200
    assert str(escape(SCRIPT_PAYLOAD)) in body  # the query is shown, as text
    assert_only_the_sites_own_script_files(body)


def test_unknown_page_gets_the_site_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "We couldn't find that page" in response.content.decode()
