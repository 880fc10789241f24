"""Sessions: Django's database store, read with one statement that is never compiled again.

Each project's ``config/sessions.py`` reads a session with SQL written once per process instead
of an ORM query composed on every request (issue 19). The rules here hold it to what Django's
own database store does: the database is the one copy of a session, an expired, deleted or
tampered one logs nobody in, and a key nobody was given is never adopted.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.models import Session
from django.db.models.sql.compiler import SQLCompiler
from django.test import Client
from django.utils import timezone

from shared.contract import Deployment


def _store(session_key: str | None = None) -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key)


def _saved(data: dict[str, Any]) -> str:
    store = _store()
    store.update(data)
    store.save()
    return str(store.session_key)


def compiled_queries(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on in the test, the model label of each ORM query composed (``as_sql``)."""
    compiled: list[str] = []
    original = SQLCompiler.as_sql

    def counting(compiler: SQLCompiler, *args: Any, **kwargs: Any) -> Any:
        compiled.append(compiler.query.model._meta.label if compiler.query.model else "")
        return original(compiler, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    return compiled


@pytest.mark.django_db
class SessionsContract:
    """Subclass as ``TestSessions`` beside a ``deployment`` fixture."""

    def test_sessions_are_the_projects_database_store(self) -> None:
        assert settings.SESSION_ENGINE == "config.sessions"

    def test_a_saved_session_loads_what_was_saved(self) -> None:
        key = _saved({"cart": [1, 2], "name": "Zoë"})

        assert _store(key).load() == {"cart": [1, 2], "name": "Zoë"}

    def test_loading_a_session_composes_no_query(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The point of the store: no ORM query is compiled on the request's first read."""
        key = _saved({"seen": True})
        compiled = compiled_queries(monkeypatch)
        loaded = _store(key).load()

        assert loaded == {"seen": True}
        assert compiled == []

    def test_an_expired_session_is_empty_and_gets_a_new_key(self) -> None:
        key = _saved({"seen": True})
        Session.objects.filter(session_key=key).update(expire_date=timezone.now())

        store = _store(key)
        assert store.load() == {}
        assert store.session_key is None

    def test_a_deleted_session_is_empty(self) -> None:
        key = _saved({"seen": True})
        Session.objects.filter(session_key=key).delete()

        assert _store(key).load() == {}

    def test_a_key_nobody_was_given_is_not_adopted(self) -> None:
        store = _store("a" * 32)
        store["seen"] = True
        store.save()

        assert store.session_key != "a" * 32
        assert not Session.objects.filter(session_key="a" * 32).exists()

    def test_tampered_session_data_logs_nobody_in(self) -> None:
        key = _saved({"_auth_user_id": "1"})
        Session.objects.filter(session_key=key).update(session_data="forged:data")

        assert _store(key).load() == {}

    def test_a_signed_in_user_stays_signed_in_until_the_session_row_is_gone(
        self, deployment: Deployment, client: Client, user: AbstractUser
    ) -> None:
        client.force_login(user)
        assert client.get(deployment.html_page).wsgi_request.user == user

        Session.objects.all().delete()  # a logout elsewhere, or an administrator's clean-up

        assert client.get(deployment.html_page).wsgi_request.user.is_anonymous
