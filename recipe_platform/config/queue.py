"""The task queue as the rest of the project sees it: which backend runs, enqueueing that never
breaks a page, the queue's health, and pruning its finished results.

Background work uses Django's Tasks API (``django_tasks``, the backport of Django 6.0's
``django.tasks``). ``settings.TASKS`` picks the backend: the database queue of
``django_tasks_db`` by default, RQ on Redis when ``REDIS_URL`` is set, and the immediate backend
(a task runs as it is enqueued) in the unit tests. Everything here works with each of them.

An enqueue happens after the data it refers to is committed, and it can fail (Redis down, the
database gone for a moment). :func:`enqueue` logs such a failure and returns ``False`` instead
of raising: by then the change is committed and the page must show it. Nothing is lost, because
what a task was for is recorded in the database first (a photo file to delete is a
``recipes.UnusedPhotoFile`` row), and the scheduled maintenance (``manage.py run_maintenance``)
finds it there.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, Literal, TypedDict

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, transaction
from django.db.models import Count, Min
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db import DatabaseBackend

if TYPE_CHECKING:
    from django_tasks.backends.base import BaseTaskBackend
    from django_tasks.base import Task

logger = logging.getLogger(__name__)

BackendKind = Literal["database", "rq", "immediate"]

#: Finished task results (the database backend's rows) are deleted this long after they end.
TASK_RESULT_RETENTION = timedelta(days=7)


class QueueHealth(TypedDict):
    """What ``/healthz`` says about the queue (README, "Background work")."""

    backend: BackendKind
    status: Literal["ok", "unavailable"]
    depth: int | None
    oldest_waiting_seconds: float | None


def queue_name() -> str:
    """The one queue every task of this project uses (``DJANGO_TASKS_QUEUE``)."""
    name: str = settings.TASKS_QUEUE_NAME
    return name


def default_backend() -> BaseTaskBackend:
    """The backend every task of this project uses (``settings.TASKS["default"]``)."""
    return task_backends[DEFAULT_TASK_BACKEND_ALIAS]


def backend_kind(backend: BaseTaskBackend | None = None) -> BackendKind:
    """Which kind of backend ``settings.TASKS`` configured (or ``backend`` is)."""
    backend = backend or default_backend()
    if isinstance(backend, DatabaseBackend):
        return "database"
    if isinstance(backend, ImmediateBackend):
        return "immediate"
    from django_tasks_rq import RQBackend  # imports rq: only where REDIS_URL chose it

    if isinstance(backend, RQBackend):
        return "rq"
    raise ImproperlyConfigured(f"No worker for the task backend {type(backend).__name__}.")


def enqueue(task: Task[..., Any], /, **kwargs: Any) -> bool:
    """Enqueue ``task(**kwargs)``; log a failure and return ``False``, never raise."""
    try:
        task.enqueue(**kwargs)
    except Exception:  # Redis or the database went away: logged; the maintenance catches up.
        logger.warning(
            "Could not enqueue %s(%s); the scheduled maintenance will do its work.",
            task.name,
            ", ".join(f"{name}={value!r}" for name, value in kwargs.items()),
            exc_info=True,
        )
        return False
    return True


def enqueue_on_commit(task: Task[..., Any], /, **kwargs: Any) -> None:
    """Enqueue ``task(**kwargs)`` once the current transaction commits (at once outside one).

    A task that reads rows the transaction writes must never run before they are committed, nor
    at all if they are rolled back.
    """
    transaction.on_commit(partial(enqueue, task, **kwargs))


def queue_health(*, database_reachable: bool = True) -> QueueHealth:
    """The queue's backend, whether it answers, how many tasks wait and the oldest one's age.

    ``depth`` counts the tasks ready to run now: queued, or deferred to a time that has come.
    The database queue is not asked when the database is known to be away (each attempt could
    wait for the connection timeout).
    """
    backend = default_backend()
    kind = backend_kind(backend)
    if kind == "database":
        if not database_reachable:
            return _unavailable("database")
        return _database_queue_health(backend)
    if kind == "rq":
        return _rq_queue_health(backend)
    # The immediate backend runs each task as it is enqueued: nothing ever waits.
    return {"backend": kind, "status": "ok", "depth": 0, "oldest_waiting_seconds": None}


def _database_queue_health(backend: BaseTaskBackend) -> QueueHealth:
    """One aggregate over the READY rows (django_tasks_db's partial index on them)."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.ready().filter(
        backend_name=backend.alias, queue_name__in=backend.queues
    )
    try:
        found = waiting.aggregate(depth=Count("pk"), oldest=Min("enqueued_at"))
    except DatabaseError:
        logger.warning("Health check: the task queue's table cannot be read.", exc_info=True)
        return _unavailable("database")
    return {
        "backend": "database",
        "status": "ok",
        "depth": found["depth"],
        "oldest_waiting_seconds": _age(found["oldest"]),
    }


def _rq_queue_health(backend: BaseTaskBackend) -> QueueHealth:
    """Per queue, two Redis round trips: the queue's length, its head and the deferred jobs
    that are due (which only a running scheduler moves on), then the head's enqueue time."""
    import django_rq
    from redis.exceptions import RedisError
    from rq.job import Job
    from rq.utils import str_to_date

    now = timezone.now()
    depth, became_ready = 0, []
    try:
        for name in sorted(backend.queues):
            queue = django_rq.get_queue(name)
            scheduled_key = queue.scheduled_job_registry.key
            with queue.connection.pipeline(transaction=False) as pipeline:
                pipeline.llen(queue.key)
                pipeline.lindex(queue.key, 0)
                pipeline.zcount(scheduled_key, 0, now.timestamp())
                pipeline.zrange(scheduled_key, 0, 0, withscores=True)
                queued, head, due, earliest = pipeline.execute()
            depth += int(queued) + int(due)
            if head is not None:
                enqueued_at = queue.connection.hget(Job.key_for(head.decode()), "enqueued_at")
                if enqueued_at:
                    became_ready.append(str_to_date(enqueued_at))
            if due:
                ((_, scheduled_for),) = earliest
                became_ready.append(datetime.fromtimestamp(scheduled_for, tz=UTC))
    except (RedisError, OSError):
        logger.warning("Health check: the task queue (Redis) is unreachable.", exc_info=True)
        return _unavailable("rq")
    return {
        "backend": "rq",
        "status": "ok",
        "depth": depth,
        "oldest_waiting_seconds": _age(min(became_ready, default=None)),
    }


def _unavailable(kind: BackendKind) -> QueueHealth:
    return {"backend": kind, "status": "unavailable", "depth": None, "oldest_waiting_seconds": None}


def _age(since: datetime | None) -> float | None:
    if since is None:
        return None
    return round(max((timezone.now() - since).total_seconds(), 0.0), 3)


def prune_task_results() -> dict[str, int]:
    """Delete the database backend's finished task results past :data:`TASK_RESULT_RETENTION`.

    The query of django_tasks_db's ``prune_db_task_results`` command (its ``finished()`` rows of
    this backend), run here so the count can be reported. RQ expires a finished job's result by
    itself (``result_ttl``, 500 s), and the immediate backend keeps none: nothing to do there.
    """
    backend = default_backend()
    if backend_kind(backend) != "database":
        return {"deleted": 0}
    from django_tasks_db.models import DBTaskResult

    deleted, _ = (
        DBTaskResult.objects.finished()
        .filter(backend_name=backend.alias, finished_at__lt=timezone.now() - TASK_RESULT_RETENTION)
        .delete()
    )
    return {"deleted": deleted}
