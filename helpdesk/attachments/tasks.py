"""Background tasks of the attachments app: thin wrappers around ``attachments.cleanup``."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from attachments import cleanup


@task(queue_name=settings.TASKS_QUEUE_NAME)
def delete_orphaned_files() -> dict[str, int]:
    """Delete the stored files of deleted attachments (enqueued when a delete commits)."""
    return cleanup.delete_orphaned_files()


@task(queue_name=settings.TASKS_QUEUE_NAME)
def clean_up_files() -> dict[str, int]:
    """Maintenance: retry failed file deletions and remove files no attachment names."""
    return cleanup.clean_up_files()
