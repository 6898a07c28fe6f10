"""The shipped text of each editable page (pages/defaults.py), written once: a page that
already has a row keeps it, so migrating never rewrites an operator's text. And the Admin
role's permissions on the pages app."""

from django.db import migrations

from core.roles import grant_admin_group_permissions


def forwards(apps, schema_editor):
    from pages.defaults import DEFAULT_PAGES

    Page = apps.get_model("pages", "Page")
    for slug, default in DEFAULT_PAGES.items():
        Page.objects.get_or_create(
            slug=slug,
            defaults={
                "title": default.title,
                "description": default.description,
                "body": default.body,
            },
        )
    grant_admin_group_permissions(apps, ["pages"])


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
        ("accounts", "0002_marketplace_admins_group"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
