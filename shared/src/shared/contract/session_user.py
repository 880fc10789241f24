"""The session's user: Django's ModelBackend, read with a statement composed once per process.

Each project's ``config/auth.py`` replaces Django's ``ModelBackend`` with a subclass whose
``get_user`` sends one statement the ORM composed once, instead of ``User.objects.get(pk=...)``
composed on every logged-in request (issue 19). The rules here hold it to Django's: the same
user, field for field; a deleted or deactivated user, or a changed password, logs the session
out; and the sessions of users who logged in before the change keep their user (the
project's ``accounts`` migration ``…_sessions_name_the_projects_backend``).
"""

from __future__ import annotations

import pkgutil
from datetime import timedelta
from importlib import import_module
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model, load_backend
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shared.contract import Deployment
from shared.contract.sessions import compiled_queries
from shared.factories import DEFAULT_PASSWORD

PROJECT_BACKEND = "config.auth.ModelBackend"
DJANGO_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _read(user_id: Any) -> Any:
    return load_backend(PROJECT_BACKEND).get_user(user_id)


def _renaming_migration() -> Any:
    """The ``accounts`` migration that renames the backend in existing sessions."""
    package = import_module("accounts.migrations")
    names = [
        name
        for _, name, _ in pkgutil.iter_modules(package.__path__)
        if name.endswith("_sessions_name_the_projects_backend")
    ]
    assert len(names) == 1, names
    return import_module(f"accounts.migrations.{names[0]}").Migration


def _run(migration: Any, *, backwards: bool = False) -> None:
    (operation,) = migration.operations
    code = operation.reverse_code if backwards else operation.code
    code(apps, SimpleNamespace(connection=connection))


def _session_backend(client: Client) -> str:
    return str(client.session[BACKEND_SESSION_KEY])


@pytest.mark.django_db
class SessionUserContract:
    """Subclass as ``TestSessionUser`` beside a ``deployment`` fixture."""

    def test_the_projects_backend_replaces_djangos(self) -> None:
        """Listed beside it, Django's would check every wrong password a second time."""
        assert PROJECT_BACKEND in settings.AUTHENTICATION_BACKENDS
        assert DJANGO_BACKEND not in settings.AUTHENTICATION_BACKENDS

    def test_a_login_through_the_form_names_the_projects_backend(
        self, deployment: Deployment, client: Client, user: AbstractUser
    ) -> None:
        client.post(deployment.login_url, {"username": user.username, "password": DEFAULT_PASSWORD})

        assert _session_backend(client) == PROJECT_BACKEND

    def test_the_user_read_is_the_orms_field_for_field(self, user: AbstractUser) -> None:
        """Same values of the same types: SQLite hands timestamps over as text and booleans
        as integers, which only the ORM's converters turn into what the model holds."""
        user.last_login = timezone.now() - timedelta(days=3)
        user.is_staff = True
        user.save()
        expected = get_user_model().objects.get(pk=user.pk)

        read = _read(user.pk)

        for field in get_user_model()._meta.concrete_fields:
            mine, orms = getattr(read, field.attname), getattr(expected, field.attname)
            assert (mine, type(mine)) == (orms, type(orms)), field.name
        assert read._state.adding is False
        assert read._state.db == expected._state.db

    def test_reading_the_user_sends_one_statement_and_composes_none(
        self, user: AbstractUser, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        _read(user.pk)  # the statement is composed on the first read of the process
        compiled = compiled_queries(monkeypatch)
        with CaptureQueriesContext(connection) as queries:
            assert _read(user.pk) == user

        assert compiled == []
        assert len(queries) == 1

    def test_a_user_read_can_be_saved(self, user: AbstractUser) -> None:
        read = _read(user.pk)
        read.first_name = "Renamed"
        read.save(update_fields=["first_name"])

        user.refresh_from_db()
        assert user.first_name == "Renamed"

    def test_no_user_for_a_key_nobody_has(self, user: AbstractUser) -> None:
        assert _read(user.pk + 1000) is None

    def test_a_deactivated_user_is_logged_out_on_the_next_request(
        self, deployment: Deployment, client: Client, user: AbstractUser
    ) -> None:
        client.force_login(user)
        assert client.get(deployment.html_page).wsgi_request.user == user

        get_user_model().objects.filter(pk=user.pk).update(is_active=False)

        assert client.get(deployment.html_page).wsgi_request.user.is_anonymous

    def test_a_deleted_user_is_logged_out_on_the_next_request(
        self, deployment: Deployment, client: Client, user: AbstractUser
    ) -> None:
        client.force_login(user)
        get_user_model().objects.filter(pk=user.pk).delete()

        assert client.get(deployment.html_page).wsgi_request.user.is_anonymous

    def test_a_changed_password_logs_other_sessions_out(
        self, deployment: Deployment, client: Client, user: AbstractUser
    ) -> None:
        """Django's check of the session's password hash still runs on the user read."""
        client.force_login(user)
        user.set_password("another-long-secret-42")
        user.save()

        assert client.get(deployment.html_page).wsgi_request.user.is_anonymous

    def test_a_session_from_before_keeps_its_user_through_the_migration(
        self, deployment: Deployment, client: Client, user: AbstractUser
    ) -> None:
        client.force_login(user, backend=DJANGO_BACKEND)  # as a login before the change did
        assert client.get(deployment.html_page).wsgi_request.user.is_anonymous

        _run(_renaming_migration())

        assert _session_backend(client) == PROJECT_BACKEND
        assert client.get(deployment.html_page).wsgi_request.user == user

    def test_the_migration_leaves_other_sessions_alone_and_runs_backwards(
        self, client: Client, user: AbstractUser, other_user: AbstractUser
    ) -> None:
        other = Client()
        other.force_login(other_user, backend="axes.backends.AxesStandaloneBackend")
        expired = Client()
        expired.force_login(user, backend=DJANGO_BACKEND)
        Session.objects.filter(session_key=expired.session.session_key).update(
            expire_date=timezone.now() - timedelta(seconds=1)
        )
        unreadable = Session.objects.create(
            session_key="x" * 32,
            session_data="forged:data",
            expire_date=timezone.now() + timedelta(days=1),
        )
        untouched = {
            session.pk: session.session_data
            for session in Session.objects.filter(
                pk__in=[other.session.session_key, expired.session.session_key, unreadable.pk]
            )
        }
        client.force_login(user)  # the project's backend

        migration = _renaming_migration()
        _run(migration)

        assert {
            session.pk: session.session_data for session in Session.objects.filter(pk__in=untouched)
        } == untouched
        assert _session_backend(client) == PROJECT_BACKEND

        _run(migration, backwards=True)

        assert _session_backend(client) == DJANGO_BACKEND
