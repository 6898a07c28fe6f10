from django.db import migrations

from core.roles import grant_admin_group_permissions


def forwards(apps, schema_editor):
    # The Admin group gets the permissions of the verification models created in 0004.
    grant_admin_group_permissions(apps, ["accounts"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_verification_applications"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
