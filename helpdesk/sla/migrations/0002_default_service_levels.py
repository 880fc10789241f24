"""Seed one service level per priority with the defaults the README lists (calendar hours)."""

from django.db import migrations

# priority: (first response, resolution), in hours.
DEFAULTS = {
    "urgent": (1, 4),
    "high": (4, 24),
    "normal": (24, 72),
    "low": (48, 120),
}


def seed(apps, schema_editor):
    ServiceLevel = apps.get_model("sla", "ServiceLevel")
    for priority, (first_response, resolution) in DEFAULTS.items():
        ServiceLevel.objects.get_or_create(
            priority=priority,
            defaults={"first_response_hours": first_response, "resolution_hours": resolution},
        )


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_service_levels")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
