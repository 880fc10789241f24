"""Django's ``ModelBackend``, reading a session's user with one statement composed once per process.

After its session (``config.sessions``), every logged-in request reads its user. Django's
``ModelBackend.get_user`` does that with ``User.objects.get(pk=...)``, a query composed again
on every request: 0.27 ms on this machine where the same read as a plain statement takes
0.05 ms, and more than the whole of a bare Django view (issue 19). The statement never
changes (the key is its only parameter), so the ORM composes it once per process and
database, and each request sends it with the key bound and turns the row into a user as the
ORM would: the same columns, the same converters (SQLite's naive timestamps become aware
ones), ``Model.from_db``.

Everything else is Django's: checking a password, ``is_active``, permissions, the session's
hash of the password (checked by ``django.contrib.auth.get_user`` after this returns), and
the asynchronous ``aget_user``, which stays on the ORM.

A session names the backend that logged its user in. Sessions from before this backend named
Django's, which ``get_user`` would no longer load: migration
``accounts/0005_sessions_name_the_projects_backend`` renames them, so nobody is logged out
by the upgrade.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.contrib.auth import backends, get_user_model
from django.db import connections, router

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from accounts.models import User

#: What a session names when this backend logged its user in (``AUTHENTICATION_BACKENDS``).
BACKEND = "config.auth.ModelBackend"
#: What sessions named before it.
DJANGO_BACKEND = "django.contrib.auth.backends.ModelBackend"

_Converter = Callable[[Any, Any, "BaseDatabaseWrapper"], Any]


@dataclass(frozen=True)
class _UserStatement:
    """``SELECT <every column> FROM <users> WHERE <pk> = %s``, and how to read its row."""

    sql: str
    attnames: tuple[str, ...]
    converters: tuple[tuple[int, Sequence[_Converter], Any], ...]

    def convert(self, row: Sequence[Any], connection: BaseDatabaseWrapper) -> list[Any]:
        """The row's values as the ORM hands them to ``from_db`` (Django's
        ``SQLCompiler.apply_converters``, with the calling thread's connection)."""
        values = list(row)
        for index, functions, expression in self.converters:
            for function in functions:
                values[index] = function(values[index], expression, connection)
        return values


@cache
def _user_statement(alias: str) -> _UserStatement:
    """The ORM's own statement for ``User._default_manager.filter(pk=...)`` on ``alias``."""
    user_model = get_user_model()
    marker = 0  # the key's place in the parameters; any value of the key's type
    compiler = user_model._default_manager.filter(pk=marker).query.get_compiler(alias)
    sql, params = compiler.as_sql()
    if list(params) != [marker]:  # a manager that filters, say: keep Django's own read
        raise ValueError(f"{user_model._meta.label}'s default manager adds parameters: {params}")
    columns = [column for column, _, _ in compiler.select]
    converters = compiler.get_converters(columns)
    return _UserStatement(
        sql=sql,
        attnames=tuple(column.target.attname for column in columns),
        converters=tuple(
            (index, tuple(functions), expression)
            for index, (functions, expression) in converters.items()
        ),
    )


class ModelBackend(backends.ModelBackend):
    """Django's ``ModelBackend`` with :meth:`get_user` sending a statement composed once."""

    def get_user(self, user_id: Any) -> User | None:
        """The active user with this key, or None (as Django's: a deleted or deactivated
        user is logged out on their next request)."""
        user_model = get_user_model()
        alias = router.db_for_read(user_model)
        connection = connections[alias]
        statement = _user_statement(alias)
        key = user_model._meta.pk.get_db_prep_value(user_id, connection)
        with connection.cursor() as cursor:
            cursor.execute(statement.sql, [key])
            row = cursor.fetchone()
        if row is None:
            return None
        user = user_model.from_db(alias, statement.attnames, statement.convert(row, connection))
        return user if self.user_can_authenticate(user) else None
