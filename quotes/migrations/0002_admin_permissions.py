from django.db import migrations

from core.roles import grant_admin_group_permissions


def forwards(apps, schema_editor):
    grant_admin_group_permissions(apps, ["quotes"])


class Migration(migrations.Migration):
    dependencies = [
        ("quotes", "0001_initial"),
        ("accounts", "0002_marketplace_admins_group"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
