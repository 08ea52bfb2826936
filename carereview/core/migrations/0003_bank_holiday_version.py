"""Issue 12 item 9: the bank-holiday table's version (read by every process), and the table of
the database cache that all processes share (`CACHES` in base settings)."""

import uuid

from django.core.management import call_command
from django.db import migrations, models


def first_version(apps, schema_editor):
    token = uuid.uuid4().hex
    apps.get_model("core", "BankHolidayVersion").objects.update_or_create(
        pk=1, defaults={"token": token, "recomputed_token": token}
    )


def cache_table(apps, schema_editor):
    # Creates the table of each database cache in settings.CACHES (none where Redis is used).
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_seed_bank_holidays")]

    operations = [
        migrations.CreateModel(
            name="BankHolidayVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=32)),
                ("changed_at", models.DateTimeField(auto_now=True)),
                ("recomputed_token", models.CharField(blank=True, max_length=32)),
            ],
        ),
        migrations.RunPython(first_version, migrations.RunPython.noop),
        migrations.RunPython(cache_table, migrations.RunPython.noop),
    ]
