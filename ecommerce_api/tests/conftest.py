from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from shared.processes import PRODUCTION, collect_static
from shared.services import free_port

from tests import task_queues
from tests.processes import PROJECT_DIR, migrate


@pytest.fixture(autouse=True)
def _clear_cache() -> Any:
    """Throttle counters and cached product lists live in the caches: every test starts with
    none."""
    for alias in settings.CACHES:
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def token(user: Any) -> Token:
    return Token.objects.create(user=user)


@pytest.fixture
def token_client(token: Token) -> APIClient:
    """A client that authenticates as the mobile app does: ``Authorization: Token <key>``."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def database_queue(settings) -> str:
    """Tasks go to the database queue (``django_tasks_db``): rows in the test's transaction."""
    name: str = settings.TASKS_QUEUE_NAME
    task_queues.database_queue(settings, name)
    return name


@pytest.fixture
def rq_queue(settings) -> Any:
    """Tasks go to RQ on the Redis of ``REDIS_URL``, on a queue of the test's own that is
    deleted afterwards; skipped without ``REDIS_URL``."""
    if not task_queues.REDIS_URL:
        pytest.skip("needs a Redis server: set REDIS_URL (e.g. redis://127.0.0.1:6379/2)")
    name = task_queues.unique_queue_name()
    task_queues.rq_queue(settings, name, task_queues.REDIS_URL)
    yield name
    task_queues.delete_rq_queue(task_queues.REDIS_URL, name)


@pytest.fixture
def unreachable_rq_queue(settings) -> str:
    """Tasks go to RQ on a Redis that is not there: a port on 127.0.0.1 nothing listens on."""
    name: str = settings.TASKS_QUEUE_NAME
    task_queues.rq_queue(settings, name, f"redis://127.0.0.1:{free_port()}/0")
    return name


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """STATIC_ROOT after ``collectstatic`` with the production settings (run once per session)."""
    static_root = tmp_path_factory.mktemp("staticfiles")
    collect_static(PROJECT_DIR, static_root)
    return static_root


@pytest.fixture(scope="session")
def _migrated_sqlite_templates() -> dict[bool, Path]:
    """The session's migrated SQLite files, by whether ``REDIS_URL`` was set (it adds RQ's
    apps and drops the cache tables, so the schema differs)."""
    return {}


@pytest.fixture
def migrated_sqlite(
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    _migrated_sqlite_templates: dict[bool, Path],
) -> Callable[..., str]:
    """``migrated_sqlite(**env)``: the ``DATABASE_URL`` of a SQLite database of the test's own,
    migrated as production migrates it under ``env``. ``migrate`` in a fresh process costs
    seconds, so it runs once per session (and schema) and each test gets a copy of its file."""

    def database(**env: str) -> str:
        with_redis = bool(env.get("REDIS_URL"))
        template = _migrated_sqlite_templates.get(with_redis)
        if template is None:
            template = tmp_path_factory.mktemp("migrated") / "db.sqlite3"
            migrate(f"sqlite:///{template}", "config.settings.production", **{**PRODUCTION, **env})
            _migrated_sqlite_templates[with_redis] = template
        copy = tmp_path / "db.sqlite3"
        # SQLite's backup, not a file copy: it holds whatever the write-ahead log still held.
        with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(copy)) as target:
            source.backup(target)
        return f"sqlite:///{copy}"

    return database
