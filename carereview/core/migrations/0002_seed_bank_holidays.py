"""Seed the bank-holiday table for England and Wales from the `holidays` package (rules.md §1)."""

from django.db import migrations

FIRST_YEAR, LAST_YEAR = 1995, 2045


def seed(apps, schema_editor):
    import holidays

    BankHoliday = apps.get_model("core", "BankHoliday")
    days = holidays.UK(subdiv="ENG", years=range(FIRST_YEAR, LAST_YEAR + 1))
    BankHoliday.objects.bulk_create(
        [BankHoliday(date=d, name=name) for d, name in sorted(days.items())],
        ignore_conflicts=True,
    )


def unseed(apps, schema_editor):
    apps.get_model("core", "BankHoliday").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
