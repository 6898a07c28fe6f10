"""The admin's access matrix, by rule rather than one line per page.

Rule: every /admin/ page sends anonymous visitors, customers and providers to the admin's
login page (they are not staff). Admins and Superadmins get each model's pages according
to what the model's admin allows (some never allow adding or deleting: bookings are
cancelled, reviews hidden, applications kept) and, for Admins, what the "Marketplace
admins" group holds: every model of the marketplace's apps, none of Django's permission
machinery (groups). A model newly registered in the admin has no rule and fails
test_access_site's meta-test until it gets one here.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.models import City, VerificationApplication
from booking.models import ProviderSchedule
from core.roles import ADMIN_GROUP_NAME
from pages.models import ContactMessage, Page, PageSlug

from .matrix import ADMIN_LOGIN, REDIRECT, Ask, check, row, url_patterns

pytestmark = pytest.mark.django_db

VIEW, ADD, CHANGE, DELETE = "v", "a", "c", "d"

# model label → (what the model's admin never allows, what Admins lack, A's object id)
ADMIN_MODELS = {
    "auth.group": ("", "vacd", lambda w: Group.objects.get(name=ADMIN_GROUP_NAME).pk),
    "account.emailaddress": ("", "", lambda w: EmailAddress.objects.get(user=w.a.customer).pk),
    "accounts.verificationapplication": (
        "ad",
        "",
        lambda w: VerificationApplication.objects.get(provider__user=w.a.provider).pk,
    ),
    "accounts.user": ("", "", lambda w: w.a.customer.pk),
    "accounts.serviceproviderprofile": ("", "", lambda w: w.a.provider.provider_profile.pk),
    "accounts.city": ("", "", lambda w: City.objects.get(slug="austin-tx").pk),
    "catalog.servicecategory": ("", "", lambda w: w.a.service.category_id),
    "catalog.service": ("", "", lambda w: w.a.service.pk),
    "booking.booking": ("ad", "", lambda w: w.a.booking.pk),  # cancelled, never deleted
    "booking.providerschedule": (
        "a",
        "",
        lambda w: ProviderSchedule.objects.get(provider__user=w.a.provider).pk,
    ),
    "booking.timeoff": ("", "", lambda w: w.a.time_off.pk),
    "reviews.review": ("ad", "", lambda w: w.a.review.pk),  # hidden, never deleted
    "notifications.notification": ("ac", "", lambda w: w.a.notification.pk),  # read-only
    # Quotes (#22) change only through their services: the team reads them here.
    "quotes.quoterequest": ("acd", "", lambda w: w.a.quote_request.pk),
    # Reports of messages (#22): read, and deleted once dealt with; never written here.
    "messaging.messagereport": (
        "ac",
        "",
        lambda w: w.a.conversation.messages.last().reports.get().pk,
    ),
    "pages.page": ("", "", lambda w: _about_page().pk),
    # Photos (#18) are uploaded by providers: the team looks and deletes, never adds.
    "photos.photo": ("a", "", lambda w: _photo_of_a(w).pk),
    # Messages come from the contact form only.
    "pages.contactmessage": ("a", "", lambda w: _contact_message(w).pk),
}


def _photo_of_a(world):
    from .test_access_site import _photo_of_a

    return _photo_of_a(world)


def _about_page():
    # The data migration's row, or (after a transactional test's flush) one like it.
    from pages.defaults import DEFAULT_PAGES

    default = DEFAULT_PAGES[PageSlug.ABOUT]
    page, _ = Page.objects.get_or_create(
        slug=PageSlug.ABOUT,
        defaults={"title": default.title, "description": default.description, "body": "x"},
    )
    return page


def _contact_message(world):
    return ContactMessage.objects.create(
        name="Rosa", email=world.a.customer.email, subject="Hello", message="A question."
    )


@pytest.fixture(autouse=True)
def _pages_permissions_for_admins(db):
    """The pages app's Admin permissions (its data migration's), also after a flush: the
    suite-wide restore (tests/migrated_rows.py) does not know the pages app yet."""
    group, _ = Group.objects.get_or_create(name=ADMIN_GROUP_NAME)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="pages"))


# Page name suffix → the permission it needs ("" = none beyond being staff).
ACTIONS = {
    "changelist": VIEW,
    "add": ADD,
    "change": VIEW,  # a view-only admin gets the page read-only
    "history": VIEW,
    "delete": DELETE,
    "redirect": "",  # <id>/ → <id>/change/
    "password": CHANGE,
}

NOT_STAFF = (ADMIN_LOGIN,) * 5  # anonymous, customers A and B, providers A and B

# The admin's own pages (not a model's): name → (URL arguments, expected row).
ADMIN_PAGES = {
    "admin:index": (None, row(*NOT_STAFF, 200, 200)),
    # Signed-in people who are not staff see the login form with a "not authorised" note.
    "admin:login": (None, row(200, 200, 200, 200, 200, REDIRECT, REDIRECT)),
    # POST only for staff; anyone else is sent to the admin's index (and from there to log in).
    "admin:logout": (None, row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 405, 405)),
    "admin:password_change": (None, row(*NOT_STAFF, 200, 200)),
    "admin:password_change_done": (None, row(*NOT_STAFF, 200, 200)),
    # Without its query (which field asks) the lookup is refused.
    "admin:autocomplete": (None, row(*NOT_STAFF, 403, 403)),
    "admin:jsi18n": (None, row(*NOT_STAFF, 200, 200)),
    "admin:view_on_site": (
        lambda w: {
            "content_type_id": ContentType.objects.get_for_model(w.a.service).pk,
            "object_id": w.a.service.pk,
        },
        row(*NOT_STAFF, REDIRECT, REDIRECT),
    ),
    # Admins have no permission on the auth app, so its index does not exist for them.
    "admin:app_list": (lambda w: {"app_label": "auth"}, row(*NOT_STAFF, 404, 200)),
    "admin/(?P<url>.*)$": (lambda w: {"url": "no-such-page/"}, row(*NOT_STAFF, 404, 404)),
}
UNNAMED_PAGES = {"admin/(?P<url>.*)$": "/admin/{url}"}

_MODEL_PAGE = re.compile(
    r"^admin/(?P<app>\w+)/(?P<model>\w+)/"
    r"(?:(?P<add>add/)|<path:object_id>/(?P<suffix>history/|delete/|change/)?|<id>/password/)?$"
)


def admin_pattern_rule(pattern):
    """(model label, action) for a model's admin page, or None for any other pattern."""
    match = _MODEL_PAGE.match(pattern.route)
    if not match:
        return None
    label = f"{match['app']}.{match['model']}"
    if label not in ADMIN_MODELS:
        return None
    if match["add"]:
        return label, "add"
    if pattern.route.endswith("<id>/password/"):
        return label, "password"
    if "<path:object_id>" in pattern.route:
        return label, (match["suffix"] or "redirect/").rstrip("/")
    return label, "changelist"


def _expected(label, action):
    never, admins_lack = ADMIN_MODELS[label][:2]
    needed = ACTIONS[action]
    if not needed:
        return row(*NOT_STAFF, REDIRECT, REDIRECT)
    superadmin = 403 if needed in never else 200
    admin = 403 if needed in never or needed in admins_lack else 200
    return row(*NOT_STAFF, admin, superadmin)


def _model_pages():
    return sorted(
        (p.route, *rule) for p in url_patterns() if (rule := admin_pattern_rule(p)) is not None
    )


@pytest.mark.parametrize(("route", "label", "action"), _model_pages())
def test_admin_model_pages(world, route, label, action):
    url = "/" + route.replace("<path:object_id>", str(ADMIN_MODELS[label][2](world)))
    url = url.replace("<id>", str(world.a.customer.pk))

    problems = check(world, url, Ask(_expected(label, action), private_to_a=False))

    assert not problems, f"{url}: " + "; ".join(problems)


@pytest.mark.parametrize("name", list(ADMIN_PAGES))
def test_admin_pages(world, name):
    kwargs_for, expected = ADMIN_PAGES[name]
    kwargs = kwargs_for(world) if kwargs_for else {}
    if name in UNNAMED_PAGES:
        url = UNNAMED_PAGES[name].format(**kwargs)
    else:
        url = reverse(name, kwargs=kwargs)

    problems = check(world, url, Ask(expected, private_to_a=False))

    assert not problems, f"{url}: " + "; ".join(problems)


def test_every_registered_model_has_an_admin_rule():
    from django.contrib import admin

    registered = {model._meta.label_lower for model in admin.site._registry}

    assert registered == set(ADMIN_MODELS)


def test_admins_cannot_change_or_delete_a_superadmin(world, client):
    client.force_login(world.admin)
    superadmin = world.superadmin.pk

    page = client.get(reverse("admin:accounts_user_change", args=[superadmin]))
    delete = client.post(reverse("admin:accounts_user_delete", args=[superadmin]), {"post": "yes"})
    password = client.get(reverse("admin:auth_user_password_change", args=[superadmin]))

    assert page.status_code == 200 and b'name="email"' not in page.content  # read-only
    assert delete.status_code == 403
    assert password.status_code == 403
    world.superadmin.refresh_from_db()
    assert world.superadmin.is_active
