"""The time between two timestamps in seconds, with each database's own date arithmetic.

Django's portable ``F(end) - F(start)`` on SQLite calls a Python function for every row (and
the median's window sorts by it): at 10,000 tickets the two medians took three quarters of the
page's time. ``julianday()`` is SQLite's native arithmetic; PostgreSQL has ``EXTRACT(EPOCH
FROM interval)``. Both give seconds as a floating-point number: to the microsecond on
PostgreSQL, to the millisecond on SQLite (a Julian day number is a double, good to about 50
microseconds today, so the difference is rounded to whole milliseconds); the page shows minutes.
"""

from __future__ import annotations

from typing import Any

from django.db.models import FloatField, Func


class SecondsBetween(Func):
    """``end - start`` in seconds; only SQLite and PostgreSQL, the two databases this runs on."""

    arity = 2
    output_field = FloatField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="ROUND((julianday(%(expressions)s)) * 86400.0, 3)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(EXTRACT(EPOCH FROM (%(expressions)s)) AS double precision)",
            arg_joiner=" - ",
            **extra,
        )
