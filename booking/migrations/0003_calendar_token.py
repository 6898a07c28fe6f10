import secrets

from django.db import migrations, models

import booking.models


def give_every_schedule_a_token(apps, schema_editor):
    ProviderSchedule = apps.get_model("booking", "ProviderSchedule")
    for schedule in ProviderSchedule.objects.filter(calendar_token__isnull=True):
        schedule.calendar_token = secrets.token_urlsafe(32)
        schedule.save(update_fields=["calendar_token"])


class Migration(migrations.Migration):
    dependencies = [("booking", "0002_admin_permissions")]

    operations = [
        migrations.AddField(
            model_name="providerschedule",
            name="calendar_token",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(give_every_schedule_a_token, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="providerschedule",
            name="calendar_token",
            field=models.CharField(
                default=booking.models.new_calendar_token, max_length=64, unique=True
            ),
        ),
    ]
