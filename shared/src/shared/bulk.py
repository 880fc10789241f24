"""Many rows for a test, sent to the database in one batch without building a model object each.

The query-count tests show that a page costs the same queries at 10 and at 10,000 rows. Making
the 10,000 rows with ``bulk_create`` costs seconds of Python (4 s for recipe_platform's 10,000
recipes, about 14 s under coverage): each object is built, and each of its values prepared
field by field. The rows themselves are cheap. :func:`insert_rows` prepares each constant once
and hands the rows to the database driver's ``executemany``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.db import connections, router
from django.db.models import AutoField, BigAutoField, Model, SmallAutoField
from django.db.models.fields import Field
from django.utils import timezone

#: Fields the database numbers by itself.
AUTO_FIELDS = (AutoField, BigAutoField, SmallAutoField)


@dataclass(frozen=True)
class Numbered:
    """A text value with the row's number (0 to ``count - 1``) in place of ``{n}``:
    ``Numbered("bulk-{n}")`` gives ``bulk-0``, ``bulk-1``..."""

    template: str


def insert_rows(model: type[Model], count: int, **values: Any) -> None:
    """Insert ``count`` rows of ``model`` in one ``executemany``.

    ``values`` maps a field's name (a foreign key's too, or its ``<name>_id``) to a constant
    (a model instance stands for its key), to :class:`Numbered`, or to a list or tuple of
    ``count`` values, one a row. A field left out gets its database default; a field without
    one the current time for ``auto_now`` and ``auto_now_add``, else what a new model object
    would hold (its default, evaluated once; an empty string for text; NULL). Leaving out a
    field that can hold none of those is a ``TypeError``.

    As with ``bulk_create``, no ``save()`` and no signal runs; the database's constraints and
    triggers do.
    """
    alias = router.db_for_write(model)
    connection = connections[alias]
    quote = connection.ops.quote_name
    given = dict(values)
    now = timezone.now()
    columns: list[str] = []
    makers: list[Any] = []  # per column: what gives row n's value
    for field in model._meta.concrete_fields:
        if field.name in given or field.attname in given:
            value = given.pop(field.name if field.name in given else field.attname)
        elif isinstance(field, AUTO_FIELDS) or field.has_db_default():
            continue  # the database numbers the row, or fills the column itself
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()  # as a model object gets it: "" for text, else None
            if value is None and not field.null:
                raise TypeError(f"{model._meta.label}.{field.name} has no default: give its value")
        columns.append(quote(cast(str, field.column)))  # a concrete field has a column
        makers.append(_maker(field, value, count, connection))
    if given:
        raise TypeError(f"{model._meta.label} has no field {', '.join(sorted(given))}")
    table = quote(model._meta.db_table)
    placeholders = ", ".join(["%s"] * len(columns))
    # Only the model's own identifiers, quoted by the database's backend, are in the statement.
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[make(n) for make in makers] for n in range(count)])


def _maker(field: Field[Any, Any], value: Any, count: int, connection: Any) -> Any:
    """What gives row ``n``'s value of ``field``, prepared for the database."""

    def prepared(one: Any) -> Any:
        return field.get_db_prep_save(one.pk if isinstance(one, Model) else one, connection)

    if isinstance(value, Numbered):
        return lambda n: prepared(value.template.format(n=n))
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        if len(value) != count:
            raise ValueError(f"{field.name}: {len(value)} values for {count} rows")
        each = [prepared(one) for one in value]
        return each.__getitem__
    constant = prepared(value)
    return lambda n: constant
