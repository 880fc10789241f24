"""Database sessions, read with one SQL statement composed once per process.

Every logged-in request reads its session before anything else. Django's database store reads
it through the ORM (``Session.objects.get(...)``), and composing that query costs several times
what the database takes to answer it: 0.18 ms of Python for 0.02 ms of SQLite on this machine,
paid again on every request, a fifth of a logged-in request that a cache answers (issue 19).
The statement never changes (only the key and the clock are parameters), so it is written here
once per process, from the model's own table and column names, and sent with bound parameters.

Everything else is Django's ``db`` store: saving, the key's checks, expiry, ``clearsessions``,
and the asynchronous path (``aload``), which stays on the ORM. The database stays the one copy
of a session, so a logout holds even while the cache cannot be reached; that is why this is
not Django's ``cached_db`` store (see the README's Performance section).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone

if TYPE_CHECKING:
    from django.contrib.sessions.base_session import AbstractBaseSession


SESSION_COLUMNS = ("session_data", "session_key", "expire_date")


@cache
def _select_session(alias: str) -> str:
    """``SELECT session_data ... WHERE session_key = %s AND expire_date > %s`` for a database."""
    from django.contrib.sessions.models import Session

    quote = connections[alias].ops.quote_name
    meta = Session._meta
    columns = {field.name: quote(field.column) for field in meta.concrete_fields}
    data, key, expiry = (columns[name] for name in SESSION_COLUMNS)
    # Only the model's own identifiers, quoted by the database's backend, are written into the
    # statement; the key and the time are bound parameters.
    return f"SELECT {data} FROM {quote(meta.db_table)} WHERE {key} = %s AND {expiry} > %s"  # noqa: S608


class SessionStore(DatabaseSessionStore):
    """Django's database session store with :meth:`_get_session_from_db` in plain SQL."""

    def _get_session_from_db(self) -> AbstractBaseSession | None:
        """The session row if it exists and has not expired; else no row, and a new key on
        save (as Django's store does, so a visitor never chooses their session's key)."""
        key = self.session_key
        if key is None:
            return None
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(_select_session(alias), [key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return self.model(session_key=key, session_data=row[0])
