"""The query planner's statistics, refreshed whenever the data's shape changes at once.

The list pages are fast because each filter and sort has an index, but the planner only picks
the right one when it knows how selective each is. SQLite keeps no statistics at all until
``ANALYZE`` writes ``sqlite_stat1``, and then treats every index as equally good; PostgreSQL's
autovacuum refreshes its own eventually, not in the minutes after a migration rebuilt a table or
a bulk load multiplied one. So :func:`refresh` runs after every ``migrate`` that applied a
migration, and at the end of ``load_demo_data``; in production, after a bulk import (see the
README's deployment notes). ``ANALYZE`` samples: it takes well under a second at 100,000 rows.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import post_migrate


def refresh(using: str = DEFAULT_DB_ALIAS) -> None:
    """``ANALYZE`` every table of the ``using`` database (the same statement on both engines)."""
    with connections[using].cursor() as cursor:
        cursor.execute("ANALYZE")


def _refresh_after_migrate(*, plan: list[Any] | None = None, using: str, **kwargs: Any) -> None:
    # ``flush`` (every TransactionTestCase) sends post_migrate with no plan; only a migrate
    # that applied something changed the tables.
    if plan:
        refresh(using)


def connect() -> None:
    """Refresh after ``migrate``: once, after the last app's post_migrate handlers ran.

    post_migrate is sent once per app that has models, in ``INSTALLED_APPS`` order, so the
    receiver listens to the last of them: by then every other handler (content types,
    permissions, data they create) is done.
    """
    last_app = [config for config in apps.get_app_configs() if config.models_module][-1]
    post_migrate.connect(
        _refresh_after_migrate, sender=last_app, dispatch_uid="config.planner_statistics"
    )
