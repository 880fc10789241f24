"""The real thing: cron's job enqueues the maintenance, the real worker process does it.

Each test makes a fresh SQLite database in a temporary folder and migrates it, places orders
with idempotency keys (three of them past the replay window), then runs, as separate processes
with production settings, ``manage.py run_maintenance`` (what cron runs: it only enqueues) and
``manage.py run_worker --burst`` (the worker, exiting once the queue is empty). The expired
records are gone only after the worker ran. The database queue needs nothing else; the RQ
variant runs a real ``rqworker`` on the Redis of ``REDIS_URL`` (CI's second pass) on a queue of
its own, deleted afterwards, and is skipped without it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from shared.processes import PRODUCTION

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

STATE = """
import django, json; django.setup()
from django_tasks_db.models import DBTaskResult
from orders.models import IdempotencyRecord, Order
print(json.dumps({
    "keys": sorted(IdempotencyRecord.objects.values_list("key", flat=True)),
    "orders": Order.objects.count(),
    "database_queue": sorted(DBTaskResult.objects.values_list("task_path", "status")),
}))
"""


@pytest.fixture(params=["database", "rq"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of every process of one deployment: its database, and Redis for RQ."""
    env = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    if request.param == "database":
        yield env
        return
    if not task_queues.REDIS_URL:
        pytest.skip("needs a Redis server: set REDIS_URL (e.g. redis://127.0.0.1:6379/2)")
    queue = task_queues.unique_queue_name()
    yield {**env, "REDIS_URL": task_queues.REDIS_URL, "DJANGO_TASKS_QUEUE": queue}
    task_queues.delete_rq_queue(task_queues.REDIS_URL, queue)


def _state(env: dict[str, str]) -> dict[str, object]:
    result = run_python(SETTINGS, STATE, **env)
    assert result.returncode == 0, result.stderr
    state: dict[str, object] = json.loads(result.stdout)
    return state


def test_the_worker_purges_the_expired_idempotency_records_that_cron_enqueued(backend):
    migrated = manage("migrate", "--noinput", "-v", "0", settings_module=SETTINGS, **backend)
    assert migrated.returncode == 0, migrated.stderr
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
