"""Background tasks of the accounts app: thin wrappers around ``accounts.services``."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from accounts import services


@task(queue_name=settings.TASKS_QUEUE_NAME)
def clear_expired_sessions() -> dict[str, int]:
    """Maintenance: delete expired sessions (``accounts.services.clear_expired_sessions``)."""
    return services.clear_expired_sessions()
