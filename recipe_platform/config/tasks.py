"""Background tasks that belong to no domain app: the task queue's own upkeep."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from config import queue


@task(queue_name=settings.TASKS_QUEUE_NAME)
def prune_task_results() -> dict[str, int]:
    """Maintenance: delete old finished task results (``config.queue.prune_task_results``)."""
    return queue.prune_task_results()
