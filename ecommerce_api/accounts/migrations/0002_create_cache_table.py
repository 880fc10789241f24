"""Create the database cache table, so ``migrate`` alone gives a clean clone a shared cache.

It runs ``createcachetable``, which creates the table of every ``DatabaseCache`` in ``CACHES``
and skips tables that exist. With Redis (``REDIS_URL``) or the tests' local-memory cache there
is nothing to create; after moving from Redis to the database cache, run
``manage.py createcachetable`` once.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False),
    ]
