"""The real thing: cron's job enqueues the maintenance, the real worker process does it.

Each test gets a freshly migrated SQLite database of its own (a copy of the session's:
``migrated_sqlite`` in tests/conftest.py), places orders with idempotency keys (three of them
past the replay window), then runs, as separate processes with production settings,
``manage.py run_maintenance`` (what cron runs: it only enqueues) and ``manage.py run_worker
--burst`` (the worker, exiting once the queue is empty). The expired records are gone only
after the worker ran. The database queue needs nothing else; the RQ variant runs a real
``rqworker`` on the Redis of ``REDIS_URL`` (CI's second pass) on a queue of its own, deleted
afterwards, and is skipped without it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from typing import Any

import pytest
from django.db.models import Model
from django_tasks_db.models import DBTaskResult
from shared.processes import PRODUCTION

from orders.models import IdempotencyRecord, Order
from tests import task_queues
from tests.processes import manage, run_python

pytestmark = pytest.mark.worker

SETTINGS = "config.settings.production"

PLACE_ORDERS = """
import django; django.setup()
from datetime import timedelta
from django.utils import timezone
from catalog.models import Category, Product
from accounts.models import User
from orders.models import IdempotencyRecord
from orders.services import IdempotencyClaim, LineRequest, place_order

customer = User.objects.create_user("customer", password="unused-password")
category = Category.objects.create(name="Kettles", slug="kettles")
kettle = Product.objects.create(category=category, name="Kettle", slug="kettle", price=20, stock=9)
for key in ("old-1", "old-2", "old-3", "fresh"):
    claim = IdempotencyClaim(key, "hash")
    place_order(customer=customer, lines=[LineRequest(kettle.pk, 1)], idempotency=claim)
IdempotencyRecord.objects.exclude(key="fresh").update(
    created_at=timezone.now() - timedelta(hours=25)
)
"""


@pytest.fixture(params=["database", "rq"])
def backend(
    request: pytest.FixtureRequest, migrated_sqlite: Callable[..., str]
) -> Iterator[dict[str, str]]:
    """The environment of every process of one deployment: its migrated database, and Redis
    for RQ."""
    if request.param == "database":
        yield {**PRODUCTION, "DATABASE_URL": migrated_sqlite()}
        return
    if not task_queues.REDIS_URL:
        pytest.skip("needs a Redis server: set REDIS_URL (e.g. redis://127.0.0.1:6379/2)")
    queue = task_queues.unique_queue_name()
    redis = {"REDIS_URL": task_queues.REDIS_URL, "DJANGO_TASKS_QUEUE": queue}
    yield {**PRODUCTION, **redis, "DATABASE_URL": migrated_sqlite(**redis)}
    task_queues.delete_rq_queue(task_queues.REDIS_URL, queue)


def _rows(env: dict[str, str], model: type[Model], *fields: str) -> list[list[Any]]:
    """``fields`` of every row of ``model`` in the deployment's SQLite database, sorted: read
    by this process, which knows the tables' names, instead of a Django process of its own."""
    column = {field.name: field.column for field in model._meta.concrete_fields}
    columns = ", ".join(column[name] for name in fields)
    query = f"SELECT {columns} FROM {model._meta.db_table}"  # noqa: S608 - names of the models
    with closing(sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite:///"))) as database:
        return sorted(list(row) for row in database.execute(query))


def _state(env: dict[str, str]) -> dict[str, object]:
    return {
        "keys": [key for (key,) in _rows(env, IdempotencyRecord, "key")],
        "orders": len(_rows(env, Order, "id")),
        "database_queue": _rows(env, DBTaskResult, "task_path", "status"),
    }


def test_the_worker_purges_the_expired_idempotency_records_that_cron_enqueued(backend):
    placed = run_python(SETTINGS, PLACE_ORDERS, **backend)
    assert placed.returncode == 0, placed.stderr

    cron = manage("run_maintenance", settings_module=SETTINGS, **backend)

    assert cron.returncode == 0, cron.stderr
    assert "purge_idempotency_records: enqueued" in cron.stdout
    assert _state(backend)["keys"] == ["fresh", "old-1", "old-2", "old-3"]  # only enqueued

    worker = manage("run_worker", "--burst", settings_module=SETTINGS, **backend)

    assert worker.returncode == 0, worker.stdout + worker.stderr
    after = _state(backend)
    assert after["keys"] == ["fresh"]
    assert after["orders"] == 4
    if "REDIS_URL" not in backend:
        assert after["database_queue"] == [
            ["config.tasks.clear_expired_sessions", "SUCCESSFUL"],
            ["config.tasks.prune_task_results", "SUCCESSFUL"],
            ["notifications.tasks.purge_old_emails", "SUCCESSFUL"],
            ["notifications.tasks.requeue_stalled_emails", "SUCCESSFUL"],
            ["orders.tasks.purge_idempotency_records", "SUCCESSFUL"],
        ]
    else:
        assert after["database_queue"] == []  # everything went through Redis
