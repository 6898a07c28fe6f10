"""Rows the data migrations write, put back after a transactional test's flush removed them.

Tests with `transaction=True` (live server, threads, browsers) end with a flush of every
table. Django recreates content types and permissions after it, but not the "Marketplace
admins" group and its permissions, so a later test in the same worker would find Admins
powerless. pytest-xdist runs the largest files first, not the transactional ones last, so
"later" happens. (serialized_rollback is no way out: after such a flush the content types
have new ids and restoring the serialized copy collides with them.)
"""

from django.contrib.auth.models import Group, Permission

from core.roles import ADMIN_GROUP_NAME

# The apps whose data migrations grant the Admin group their permissions
# (accounts/migrations/0002 and 0005, booking, catalog, notifications and reviews 0002).
ADMIN_APP_LABELS = (
    "accounts",
    "account",
    "booking",
    "catalog",
    "messaging",
    "notifications",
    "pages",
    "photos",
    "quotes",
    "reviews",
)


def ensure_admin_group_permissions() -> None:
    """The Admin group with its migrated permissions; one query when they are there."""
    if Permission.objects.filter(group__name=ADMIN_GROUP_NAME).exists():
        return
    group, _ = Group.objects.get_or_create(name=ADMIN_GROUP_NAME)
    group.permissions.add(*Permission.objects.filter(content_type__app_label__in=ADMIN_APP_LABELS))


def ensure_default_pages() -> None:
    """The editable pages pages/migrations/0002 ships (about, terms, privacy...); one query
    when they are there."""
    from pages.defaults import DEFAULT_PAGES
    from pages.models import Page

    if Page.objects.count() >= len(DEFAULT_PAGES):
        return
    for slug, default in DEFAULT_PAGES.items():
        Page.objects.get_or_create(
            slug=slug,
            defaults={
                "title": default.title,
                "description": default.description,
                "body": default.body,
            },
        )
