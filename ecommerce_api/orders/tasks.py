"""Background tasks of the orders app: thin wrappers around ``orders.services``."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from orders import services


@task(queue_name=settings.TASKS_QUEUE_NAME)
def purge_idempotency_records() -> dict[str, int]:
    """Maintenance: delete the idempotency records past their replay window."""
    return {"deleted": services.purge_idempotency_records()}
