"""The task queue as the rest of the project sees it: which backend runs, enqueueing that
reports a failure instead of raising, the queue's health, and pruning its finished results.

Background work uses Django's Tasks API (``django_tasks``, the backport of Django 6.0's
``django.tasks``). ``settings.TASKS`` picks the backend: the database queue of
``django_tasks_db`` by default, RQ on Redis when ``REDIS_URL`` is set, and the immediate backend
(a task runs as it is enqueued) in the unit tests. Everything here works with each of them.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any, Literal, TypedDict

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError
from django.db.models import Count, Min, Q
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db import DatabaseBackend

if TYPE_CHECKING:
    from django_tasks.backends.base import BaseTaskBackend
    from django_tasks.base import Task
    from redis import Redis

logger = logging.getLogger(__name__)

BackendKind = Literal["database", "rq", "immediate"]

#: Finished task results (the database backend's rows) are deleted this long after they end.
TASK_RESULT_RETENTION = timedelta(days=7)

#: How long /healthz waits for Redis before it calls the queue unavailable: a probe must answer
#: quickly even when Redis is unreachable, and a load balancer retries anyway.
HEALTH_REDIS_TIMEOUT = 0.5


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


def enqueue(task: Task[..., Any], /, *, run_after: datetime | None = None, **kwargs: Any) -> bool:
    """Enqueue ``task(**kwargs)``, deferred to ``run_after`` if given; log a failure (Redis or
    the database away) and return False.

    Nothing in a request depends on an enqueue here: the maintenance tasks are enqueued by cron,
    whose next run enqueues them again, and an e-mail waits in the outbox until the maintenance
    enqueues it again, so a failure is reported, never raised. A backend that cannot defer (the
    immediate backend of the unit tests) is not asked to run a deferred task at once: that would
    defeat a back-off; the maintenance enqueues it when it is due.
    """
    try:
        if run_after is not None:
            if not task.get_backend().supports_defer:
                return False
            task = task.using(run_after=run_after)
        task.enqueue(**kwargs)
    except Exception:
        logger.warning("Could not enqueue the task %s.", task.name, exc_info=True)
        return False
    return True


def queue_health() -> QueueHealth:
    """The queue's backend, whether it answers, how many tasks are ready to run now, and how
    long the oldest of them has waited since it was enqueued.

    One indexed aggregate on the database backend, one pipelined round trip per queue on RQ.
    A queue that cannot be read is ``"unavailable"`` with no numbers.
    """
    backend = default_backend()
    kind = backend_kind(backend)
    if kind == "database":
        return _database_queue_health(backend)
    if kind == "rq":
        return _rq_queue_health(backend)
    # The immediate backend runs each task as it is enqueued: nothing ever waits.
    return {"backend": kind, "status": "ok", "depth": 0, "oldest_waiting_seconds": None}


def _unavailable(kind: BackendKind) -> QueueHealth:
    return {"backend": kind, "status": "unavailable", "depth": None, "oldest_waiting_seconds": None}


def _database_queue_health(backend: BaseTaskBackend) -> QueueHealth:
    """``COUNT`` and ``MIN(enqueued_at)`` over the ready rows: django_tasks_db's partial index on
    ``status = 'READY'`` holds exactly the rows it reads."""
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready().filter(
        backend_name=backend.alias, queue_name__in=backend.queues
    )
    try:
        found = ready.aggregate(depth=Count("pk"), oldest=Min("enqueued_at"))
    except DatabaseError:
        logger.warning("Health check: the task queue's table cannot be read.", exc_info=True)
        return _unavailable("database")
    return {
        "backend": "database",
        "status": "ok",
        "depth": found["depth"],
        "oldest_waiting_seconds": _age(found["oldest"]),
    }


@cache
def _health_connection(url: str) -> Redis:
    """A client for the probe with short timeouts, one per URL for the process: RQ's own
    connections have none (a worker blocks on Redis by design), and a new connection per probe
    would cost a handshake each time."""
    from redis import Redis

    return Redis.from_url(
        url, socket_connect_timeout=HEALTH_REDIS_TIMEOUT, socket_timeout=HEALTH_REDIS_TIMEOUT
    )


def _rq_queue_health(backend: BaseTaskBackend) -> QueueHealth:
    """Per queue: the jobs in its list (ready to run) and the first one's enqueue time, plus the
    deferred jobs that are due but not yet moved into the list by the worker's scheduler (their
    wait counts from when they fell due, the only time RQ keeps for them)."""
    from redis.exceptions import RedisError
    from rq.job import Job
    from rq.queue import Queue
    from rq.registry import ScheduledJobRegistry
    from rq.utils import str_to_date

    now = timezone.now()
    depth, since = 0, []
    try:
        for name in sorted(backend.queues):
            connection = _health_connection(settings.RQ_QUEUES[name]["URL"])
            queue = Queue(name, connection=connection)
            scheduled = ScheduledJobRegistry(queue=queue).key  # type: ignore[no-untyped-call]
            with connection.pipeline(transaction=False) as pipeline:
                pipeline.llen(queue.key)
                pipeline.lindex(queue.key, 0)
                pipeline.zcount(scheduled, 0, now.timestamp())
                pipeline.zrangebyscore(scheduled, 0, now.timestamp(), 0, 1, withscores=True)
                length, head, due, first_due = pipeline.execute()
            depth += int(length) + int(due)
            if head is not None and (
                when := connection.hget(Job.key_for(head.decode()), "enqueued_at")
            ):
                since.append(str_to_date(when))
            since += [datetime.fromtimestamp(score, tz=UTC) for _, score in first_due]
    except (RedisError, OSError):
        logger.warning("Health check: the task queue (Redis) is unreachable.", exc_info=True)
        return _unavailable("rq")
    return {
        "backend": "rq",
        "status": "ok",
        "depth": depth,
        "oldest_waiting_seconds": _age(min(since, default=None)),
    }


def _age(since: datetime | None) -> float | None:
    if since is None:
        return None
    return round(max((timezone.now() - since).total_seconds(), 0.0), 3)


def prune_task_results() -> int:
    """Delete the database backend's finished task results older than
    :data:`TASK_RESULT_RETENTION`; return how many went.

    The query of django_tasks_db's ``prune_db_task_results`` command (finished rows of this
    backend), run here so the count can be reported. RQ expires a finished job's result by
    itself (``result_ttl``, 500 seconds), and the immediate backend keeps none.
    """
    backend = default_backend()
    if backend_kind(backend) != "database":
        return 0
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - TASK_RESULT_RETENTION
    deleted, _ = (
        DBTaskResult.objects.finished()
        .filter(Q(finished_at__lt=cutoff), backend_name=backend.alias)
        .delete()
    )
    return deleted
