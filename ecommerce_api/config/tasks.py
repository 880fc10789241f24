"""Background tasks that belong to no domain app: the upkeep of the queue and of sessions."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks import task

from config import queue


@task(queue_name=settings.TASKS_QUEUE_NAME)
def prune_task_results() -> dict[str, int]:
    """Maintenance: delete finished task results past their retention (``config.queue``)."""
    return {"deleted": queue.prune_task_results()}


@task(queue_name=settings.TASKS_QUEUE_NAME)
def clear_expired_sessions() -> dict[str, int]:
    """Maintenance: delete expired sessions, which Django never removes by itself.

    Sessions live in the database (Django's default engine): the browsable API's and the
    admin's logins. This is ``manage.py clearsessions``, counted.
    """
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return {"deleted": deleted}
