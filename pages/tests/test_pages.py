"""The site's own pages: each answers with its title, description and text, editable in
Django admin, Markdown shown safely; linked from every page's footer."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.tests.factories import PASSWORD, AdminFactory, CustomerFactory
from pages.defaults import DEFAULT_PAGES
from pages.markdown import render_markdown
from pages.models import Page, PageSlug

pytestmark = pytest.mark.django_db

TEXT_PAGES = {
    "pages:how_it_works": PageSlug.HOW_IT_WORKS,
    "pages:help": PageSlug.HELP,
    "pages:about": PageSlug.ABOUT,
    "pages:terms": PageSlug.TERMS,
    "pages:privacy": PageSlug.PRIVACY,
    "pages:become_a_provider": PageSlug.BECOME_A_PROVIDER,
    "pages:contact": PageSlug.CONTACT,
}


@pytest.mark.parametrize(("name", "slug"), TEXT_PAGES.items())
def test_each_page_has_its_title_description_and_shipped_text(client, name, slug):
    default = DEFAULT_PAGES[slug]

    page = client.get(reverse(name)).content.decode()

    assert f"<title>{default.title} · Marketplace</title>" in page
    assert f'<meta name="description" content="{default.description}">' in page
    assert "<h1" in page and default.title in page
    first_words = default.body.split("\n")[0].lstrip("#").strip()[:30]
    assert first_words.replace("'", "&#x27;") in page or first_words in page


def test_the_migration_shipped_every_page_for_operators_to_edit():
    assert set(Page.objects.values_list("slug", flat=True)) == set(PageSlug.values)


def test_an_operator_edits_the_terms_in_the_admin_and_the_page_shows_it(client):
    admin = AdminFactory()
    client.force_login(admin)
    terms = Page.objects.get(slug=PageSlug.TERMS)

    response = client.post(
        reverse("admin:pages_page_change", args=[terms.pk]),
        {
            "slug": PageSlug.TERMS,
            "title": "Terms of use",
            "description": "The rules.",
            "body": "## Changed\n\nNew **rules** from today.",
        },
    )

    assert response.status_code == 302
    client.logout()
    page = client.get(reverse("pages:terms")).content.decode()
    assert "<h2>Changed</h2>" in page
    assert "New <strong>rules</strong> from today." in page
    assert "Last changed" in page


def test_a_page_whose_row_was_deleted_shows_the_shipped_text(client):
    Page.objects.filter(slug=PageSlug.ABOUT).delete()

    page = client.get(reverse("pages:about")).content.decode()

    assert "Marketplace connects people" in page


def test_markdown_keeps_text_and_links_and_drops_scripts_handlers_and_styles():
    html = render_markdown(
        '# Title\n\nHello <script>alert(1)</script> <b onclick="x()">bold</b>\n\n'
        "[ok](https://example.com) [bad](javascript:alert(1)) <img src=x onerror=alert(1)>"
        '<style>body{}</style><iframe src="https://evil"></iframe>'
    )

    assert "<script" not in html and "alert(1)</" not in html
    assert "onclick" not in html and "onerror" not in html and "<img" not in html
    assert "<style" not in html and "<iframe" not in html and "<h1" not in html
    assert '<a href="https://example.com" rel="noopener noreferrer">ok</a>' in html
    assert "javascript:" not in html


def test_every_page_links_the_new_pages_in_its_footer(client):
    page = client.get(reverse("catalog:home")).content.decode()

    for name in TEXT_PAGES:
        assert f'href="{reverse(name)}"' in page, name


def test_every_page_names_its_icon_manifest_and_brand_mark(client):
    page = client.get(reverse("catalog:home")).content.decode()

    assert '<link rel="icon" href="/static/icons/mark.svg" type="image/svg+xml">' in page
    assert '<link rel="manifest" href="/static/manifest.webmanifest">' in page
    assert '<img src="/static/icons/mark.svg" alt="" width="28" height="28">' in page


def test_the_manifest_names_the_site_and_icons_that_exist():
    static = Path(settings.BASE_DIR) / "static"
    manifest = json.loads((static / "manifest.webmanifest").read_text())

    assert (manifest["name"], manifest["short_name"], manifest["start_url"]) == (
        "Marketplace — book trusted local workers",
        "Marketplace",
        "/",
    )
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert (static / icon["src"]).is_file()


def test_favicon_ico_goes_to_the_icon(client):
    response = client.get("/favicon.ico")

    assert (response.status_code, response["Location"]) == (301, "/static/icons/icon-192.png")


def _checked_role(page: str) -> list[str]:
    return re.findall(r'<input type="radio" name="role" value="(\w+)"[^>]*\bchecked\b', page)


def test_become_a_provider_signs_up_as_a_provider(client):
    page = client.get(reverse("pages:become_a_provider")).content.decode()
    assert f'href="{reverse("account_signup")}?role=PROVIDER"' in page

    signup = client.get(reverse("account_signup") + "?role=PROVIDER").content.decode()

    assert _checked_role(signup) == ["PROVIDER"]


def test_the_sign_up_page_starts_as_a_customer_otherwise(client):
    signup = client.get(reverse("account_signup")).content.decode()

    assert _checked_role(signup) == ["CUSTOMER"]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("account_login", ["<h1>Log in</h1>", ">Log in</button>", ">Sign up</a>"]),
        ("account_signup", ["<h1>Sign up</h1>", ">Sign up</button>", ">Log in</a>"]),
    ],
)
def test_one_vocabulary_log_in_sign_up(client, name, words):
    page = client.get(reverse(name)).content.decode()

    for word in words:
        assert word in page
    for wrong in ("Sign In", "Sign Up", "sign in", "Signup"):
        assert wrong not in page


def test_logged_in_people_are_offered_log_out(client):
    client.force_login(CustomerFactory())

    page = client.get(reverse("account_logout")).content.decode()

    assert ">Log out</button>" in page and "Sign Out" not in page


def test_logging_in_and_out_says_logged_in_and_logged_out(client):
    customer = CustomerFactory(first_name="Rosa", last_name="Diaz")

    logged_in = client.post(
        reverse("account_login"), {"login": customer.email, "password": PASSWORD}, follow=True
    )
    logged_out = client.post(reverse("account_logout"), follow=True)

    assert "You are logged in as" in logged_in.content.decode()
    assert "You are logged out." in logged_out.content.decode()
    for page in (logged_in, logged_out):
        assert "signed in" not in page.content.decode()
        assert "signed out" not in page.content.decode()


def test_an_address_already_taken_is_told_to_log_in(client, mailoutbox):
    customer = CustomerFactory(email="taken@example.com")

    client.post(
        reverse("account_signup"),
        {
            "first_name": "Rosa",
            "last_name": "Diaz",
            "email": customer.email,
            "role": "CUSTOMER",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    (mail,) = mailoutbox
    assert "An account with that address already exists. To log in" in mail.body
    assert "signup" not in mail.body
