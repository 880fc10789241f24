"""SQLite planning a test's few rows as it would plan a large table.

A query plan depends on the statistics ``ANALYZE`` keeps in ``sqlite_stat1``. With a test's
handful of rows, SQLite plans as for a handful: any index does, a sort of three rows is free.
The plan tests of the lists (which index a page reads, whether it sorts its matches) give SQLite
the statistics a large table would have, written as ``ANALYZE`` writes them, and read the plan
it makes with them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from django.db import connection


@contextmanager
def sqlite_statistics(tables: Mapping[str, Mapping[str | None, str]]) -> Iterator[None]:
    """Within the block, SQLite plans with ``tables``' statistics: for each table, its
    ``sqlite_stat1`` rows by index (``None``: the table's own row count), such as
    ``{"shop_product": {None: "100000", "product_name_idx": "100000 1"}}``.

    Every other table keeps what ``ANALYZE`` finds for it now. Afterwards no statistics are
    left, so the next test plans without them again.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        for table, rows in tables.items():
            cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = %s", [table])
            cursor.executemany(
                "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (%s, %s, %s)",
                [(table, index, stat) for index, stat in rows.items()],
            )
        cursor.execute("ANALYZE sqlite_schema")  # loads the statistics into the planner
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE sqlite_stat1")
            cursor.execute("ANALYZE sqlite_schema")
