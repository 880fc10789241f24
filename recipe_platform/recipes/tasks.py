"""Background tasks of the recipes app: thin wrappers around ``recipes.cleanup``.

Arguments are storage names (JSON), never model instances. Both tasks are safe to run twice or
late: they only delete files recorded as unused and due, and never one a recipe names.
"""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from recipes import cleanup


@task(queue_name=settings.TASKS_QUEUE_NAME)
def delete_files(*, names: list[str]) -> dict[str, int]:
    """Delete the photo files a recipe just stopped using (``cleanup.delete_files``)."""
    return cleanup.delete_files(names)


@task(queue_name=settings.TASKS_QUEUE_NAME)
def delete_orphaned_images() -> dict[str, int]:
    """Maintenance: delete a batch of unused photo files whose time is up."""
    return cleanup.delete_orphaned_images()
