import pytest
from django.test import Client
from django.urls import reverse

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


def test_every_page_sends_the_csrf_token_to_htmx(client):
    body = client.get(reverse("catalog:home")).content.decode()

    assert 'hx-headers=\'{"X-CSRFToken": "' in body
    assert "<script>" not in body  # no inline scripts: the CSP would block them


def test_unknown_page_gets_the_site_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "We couldn't find that page" in response.content.decode()
