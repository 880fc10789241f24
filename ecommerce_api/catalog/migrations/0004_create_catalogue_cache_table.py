"""Create the table of the "catalogue" cache (cached product list pages), as accounts/0002 does
for the default cache: ``createcachetable`` creates every missing ``DatabaseCache`` table in
``CACHES`` and skips those that exist. With Redis there is nothing to create."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_product_updated_idx"), ("accounts", "0002_create_cache_table")]

    operations = [
        migrations.RunPython(create_cache_tables, migrations.RunPython.noop, elidable=False),
    ]
