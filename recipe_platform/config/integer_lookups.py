"""Integer lookups that answer "no such row" for numbers the database cannot hold.

Django 5.x already does this for ``exact``, ``gt``, ``gte``, ``lt`` and ``lte`` on an
``IntegerField`` (``django.db.models.lookups.IntegerFieldOverflow``), but not for ``in`` nor for
the lookups on a foreign key or many-to-many column. So on SQLite, whose driver cannot bind an
integer past 64 bits, ``?groups__exact=18446744073709551616`` on an admin changelist, or a
many-to-many form field posted with that number, ends in ``OverflowError`` and a 500.

:func:`register` adds the same rule to those lookups through Django's own lookup registry: a
value outside the column's range cannot match a row, so ``exact`` and ``in`` drop it, and a
comparison is decided without the database (everything is below 2**64). Values in range are
untouched, and non-integer columns (UUID or text primary keys) are never affected.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import (
    RelatedExact,
    RelatedGreaterThan,
    RelatedGreaterThanOrEqual,
    RelatedIn,
    RelatedLessThan,
    RelatedLessThanOrEqual,
)
from django.db.models.lookups import In


def _integer_range(lookup: Any, connection: Any) -> tuple[int | None, int | None] | None:
    """The column's (min, max), following foreign keys to the column they point at."""
    field = lookup.lhs.output_field
    while getattr(field, "target_field", None) is not None and field.target_field is not field:
        field = field.target_field
    ranges = connection.ops.integer_field_ranges
    internal_type = field.get_internal_type()
    bounds: tuple[int | None, int | None] | None = ranges.get(internal_type)
    return bounds


def _outside(value: object, bounds: tuple[int | None, int | None]) -> str | None:
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    low, high = bounds
    if low is not None and value < low:
        return "under"
    if high is not None and value > high:
        return "over"
    return None


class _InRangeComparison:
    """``exact``, ``gt``, ``gte``, ``lt``, ``lte`` on a related integer column, for any value."""

    rhs: Any
    on_underflow: type[Exception] = EmptyResultSet
    on_overflow: type[Exception] = EmptyResultSet

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        bounds = _integer_range(self, connection)
        if bounds is not None and (side := _outside(self.rhs, bounds)):
            raise self.on_underflow if side == "under" else self.on_overflow
        return super().process_rhs(compiler, connection)  # type: ignore[misc]


class _InRangeIn:
    """``in``: values no row can hold are dropped; nothing left means no row matches."""

    rhs: Any

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        bounds = _integer_range(self, connection)
        if bounds is not None and self.rhs_is_direct_value():  # type: ignore[attr-defined]
            kept = [v for v in self.rhs if _outside(v, bounds) is None]
            if not kept:
                raise EmptyResultSet
            self.rhs = kept
        return super().process_rhs(compiler, connection)  # type: ignore[misc]


class IntegerIn(_InRangeIn, In[Any]):
    pass


class RelatedIntegerIn(_InRangeIn, RelatedIn):
    pass


class RelatedIntegerExact(_InRangeComparison, RelatedExact):
    pass


class RelatedIntegerGreaterThan(_InRangeComparison, RelatedGreaterThan):
    on_underflow = FullResultSet


class RelatedIntegerGreaterThanOrEqual(_InRangeComparison, RelatedGreaterThanOrEqual):
    on_underflow = FullResultSet


class RelatedIntegerLessThan(_InRangeComparison, RelatedLessThan):
    on_overflow = FullResultSet


class RelatedIntegerLessThanOrEqual(_InRangeComparison, RelatedLessThanOrEqual):
    on_overflow = FullResultSet


def register() -> None:
    """Install the lookups (idempotent); called once from the project's AppConfig.ready()."""
    IntegerField.register_lookup(IntegerIn)
    for lookup in (
        RelatedIntegerIn,
        RelatedIntegerExact,
        RelatedIntegerGreaterThan,
        RelatedIntegerGreaterThanOrEqual,
        RelatedIntegerLessThan,
        RelatedIntegerLessThanOrEqual,
    ):
        ForeignObject.register_lookup(lookup)
