from django.db import migrations

from core.roles import grant_admin_group_permissions


def forwards(apps, schema_editor):
    grant_admin_group_permissions(apps, ["accounts", "account"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("account", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
