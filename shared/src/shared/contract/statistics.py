"""The planner's statistics are refreshed (``ANALYZE``) where the data's shape changes at once:
after a ``migrate`` that applied migrations and after ``load_demo_data``; never on ``flush``,
which every transactional test runs (``config.planner_statistics`` in each project).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import DEFAULT_DB_ALIAS, connection
from django.test.utils import CaptureQueriesContext


def _analyzes(queries: CaptureQueriesContext) -> int:
    return sum(query["sql"].strip().upper() == "ANALYZE" for query in queries.captured_queries)


@pytest.mark.django_db
class PlannerStatisticsContract:
    """Subclass as ``TestPlannerStatistics``."""

    def test_a_migrate_that_applied_migrations_analyzes_once(self) -> None:
        # What ``migrate`` sends after applying a plan: post_migrate for every app, with the plan.
        with CaptureQueriesContext(connection) as queries:
            emit_post_migrate_signal(0, False, DEFAULT_DB_ALIAS, plan=[(object(), False)])

        assert _analyzes(queries) == 1

    def test_a_migrate_with_nothing_to_apply_does_not_analyze(self) -> None:
        with CaptureQueriesContext(connection) as queries:
            emit_post_migrate_signal(0, False, DEFAULT_DB_ALIAS, plan=[])

        assert _analyzes(queries) == 0

    def test_flush_does_not_analyze(self) -> None:
        # flush (run between transactional tests) sends post_migrate without a plan.
        with CaptureQueriesContext(connection) as queries:
            emit_post_migrate_signal(0, False, DEFAULT_DB_ALIAS)

        assert _analyzes(queries) == 0

    def test_the_demo_data_is_analyzed_once_committed(
        self,
        django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
    ) -> None:
        with CaptureQueriesContext(connection) as queries:
            with django_capture_on_commit_callbacks(execute=False) as callbacks:
                call_command("load_demo_data", stdout=None)
            before_commit = _analyzes(queries)
            for callback in callbacks:
                callback()

        assert before_commit == 0
        assert _analyzes(queries) == 1
