"""shared.planner: SQLite plans a few rows with the statistics of a large table."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.db import connection

from shared.planner import sqlite_statistics

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's statistics"),
]

TABLE = Permission._meta.db_table


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return " / ".join(row[3] for row in cursor.fetchall())


def _statistics() -> list[tuple[str, str | None, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchall():
            return []
        cursor.execute("SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx")
        rows: list[tuple[str, str | None, str]] = cursor.fetchall()
        return rows


def test_within_the_block_the_table_has_the_statistics_given():
    with sqlite_statistics({TABLE: {None: "100000"}}):
        rows = [row for row in _statistics() if row[0] == TABLE]

    assert rows == [(TABLE, None, "100000")]


def test_the_planner_plans_with_them():
    # The content type's index, when SQLite believes each content type has one permission; a
    # scan of the table when it believes every permission has the same one.
    sql = "SELECT id FROM auth_permission WHERE content_type_id = 1 ORDER BY name LIMIT 5"
    index = "auth_permission_content_type_id_2f476e4b"
    unique = "auth_permission_content_type_id_codename_01ab375a_uniq"

    with sqlite_statistics({TABLE: {None: "100000", index: "100000 1", unique: "100000 1 1"}}):
        selective = _plan(sql)
    with sqlite_statistics(
        {TABLE: {None: "100000", index: "100000 100000", unique: "100000 100000 1"}}
    ):
        unselective = _plan(sql)

    assert f"USING INDEX {index}" in selective
    assert unselective.startswith(f"SCAN {TABLE}")


def test_afterwards_no_statistics_are_left():
    with sqlite_statistics({TABLE: {None: "100000"}}):
        pass

    assert _statistics() == []
