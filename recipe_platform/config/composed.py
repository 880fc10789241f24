"""QuerySets the ORM composes into SQL once per shape, then sent again with new values.

Composing a query costs several times what the database takes to answer it: 0.2-0.4 ms of
Python for a query SQLite answers in under 0.1 ms on this machine, paid again on every request
no cache answers (issue 19). A page's queries come in few shapes (which filters are set, the
sort, the page's bounds) and only their values change from one request to the next, sent as
bound parameters. So each shape is composed once per process and database, by the ORM, from a
QuerySet built with *markers* in place of the values; each later request sends that SQL with
its own values bound where the markers were.

Nothing is written by hand: the SQL, its constant parameters, the columns and their converters
are the ORM's. A shape is only kept when each marker comes back as a parameter of its own,
exactly as expected; a lookup that rewrites its value (``icontains`` makes ``%text%`` of it)
or writes it into the SQL makes the shape uncomposable, and that shape is built by the ORM on
every request as before. Markers are values no request can send. A value the ORM adapts before
sending it (a time, on SQLite, becomes text) is expected, and bound, in its adapted form.

The caller names the shape: everything the SQL depends on must be in its key, every value in
its values. Each project's README (Performance) says where it is used and how that is tested.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet

#: Shapes kept per process and database. Page bounds are part of a shape, so a visitor paging
#: through a list adds one per page; the least recently used go first.
KEPT_SHAPES = 512

_Converter = Callable[[Any, Any, Any], Any]


@dataclass(frozen=True)
class Slot:
    """Where a statement takes one of the shape's values."""

    name: str


@dataclass(frozen=True)
class Shape:
    """A query's shape and this request's values for it.

    ``build(values)`` returns the QuerySet for ``values``; called once per shape, with markers.
    ``markers`` holds a value for each name in ``values`` that no request can send.
    """

    key: Hashable
    values: Mapping[str, Any]
    markers: Mapping[str, Any]
    build: Callable[[Mapping[str, Any]], QuerySet[Any, Any]]

    def marked(self) -> QuerySet[Any, Any]:
        return self.build({name: self.markers[name] for name in self.values})


@dataclass(frozen=True)
class Statement:
    """A composed query: its SQL, its parameters (constants or slots), how to read its rows."""

    sql: str
    params: tuple[Any, ...]
    names: tuple[str, ...]
    converters: tuple[tuple[int, tuple[_Converter, ...], Any], ...]

    def bound(self, values: Mapping[str, Any]) -> list[Any]:
        return [values[p.name] if isinstance(p, Slot) else p for p in self.params]

    def rows(self, alias: str, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """The rows for ``values``, each converted as the ORM would (SQLite's timestamps and
        decimals, say)."""
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.bound(values))
            fetched: list[tuple[Any, ...]] = cursor.fetchall()
        if not self.converters:
            return fetched
        converted = []
        for row in fetched:
            values_of_row = list(row)
            for index, functions, expression in self.converters:
                for function in functions:
                    values_of_row[index] = function(values_of_row[index], expression, connection)
            converted.append(tuple(values_of_row))
        return converted

    def dicts(self, alias: str, values: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The rows as ``QuerySet.values()`` gives them."""
        return [dict(zip(self.names, row, strict=True)) for row in self.rows(alias, values)]


class Uncomposable(Exception):
    """The ORM did not send each marker back as a parameter of its own."""


def compose(
    queryset: QuerySet[Any, Any], markers: Mapping[str, Any], *, wrap: str = "%s"
) -> Statement:
    """``queryset``'s statement with each marker's parameter turned into a :class:`Slot`.

    ``wrap`` puts the SQL inside another statement (``SELECT COUNT(*) FROM (%s) subquery``);
    it adds no parameters.
    """
    compiler = queryset.query.get_compiler(queryset.db)
    sql, params = compiler.as_sql()
    slots = {_identity(value): name for name, value in markers.items()}
    composed: list[Any] = []
    for param in params:
        name = slots.get(_identity(param))
        composed.append(Slot(name) if name is not None else param)
    found = {p.name for p in composed if isinstance(p, Slot)}
    if found != set(markers):
        raise Uncomposable(f"markers {sorted(set(markers) - found)} are not parameters")
    if any(str(marker) in sql for marker in markers.values()):
        raise Uncomposable("a marker is written into the SQL")
    columns = [column for column, _, _ in compiler.select]
    query = queryset.query
    names = (*query.extra_select, *query.values_select, *query.annotation_select)
    return Statement(
        sql=wrap % sql,
        params=tuple(composed),
        names=names,
        converters=tuple(
            (index, tuple(functions), expression)
            for index, (functions, expression) in compiler.get_converters(columns).items()
        ),
    )


def _identity(value: Any) -> tuple[type, Any]:
    """A marker and a parameter match only with the same type and value (``-3`` is not
    ``Decimal("-3")``)."""
    return (type(value), value)


def statement(
    alias: str,
    key: Hashable,
    markers: Mapping[str, Any],
    build: Callable[[], tuple[QuerySet[Any, Any], str]],
) -> Statement | None:
    """The statement for shape ``key`` on database ``alias``, composed on first use from
    ``build()`` (the QuerySet with ``markers`` for values, and how to wrap its SQL); None when
    the shape cannot be composed, which is remembered too."""
    kept_as = (alias, key)
    with _lock:
        if kept_as in _kept:
            _kept.move_to_end(kept_as)
            return _kept[kept_as]
    queryset, wrap = build()
    try:
        composed: Statement | None = compose(queryset.using(alias), markers, wrap=wrap)
    except Uncomposable:
        composed = None
    with _lock:
        _kept[kept_as] = composed
        while len(_kept) > KEPT_SHAPES:
            _kept.popitem(last=False)
    return composed


def forget() -> None:
    """Drop every composed statement (tests; a schema change in a running process)."""
    with _lock:
        _kept.clear()


_kept: OrderedDict[tuple[str, Hashable], Statement | None] = OrderedDict()
_lock = threading.Lock()
