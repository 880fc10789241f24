"""Background tasks of the mail app: thin wrappers around ``mail.services``.

Arguments are ids (JSON), never model instances: the worker reads the row as it is when the task
runs. Every task is safe to run twice (see ``mail.services``).
"""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from mail import services


@task(queue_name=settings.TASKS_QUEUE_NAME)
def deliver_email(*, email_id: int) -> str:
    """Send one outbox e-mail, or schedule its next try (``services.deliver``)."""
    return services.deliver(email_id).value


@task(queue_name=settings.TASKS_QUEUE_NAME)
def deliver_emails(*, email_ids: list[int]) -> list[str]:
    """Send the outbox e-mails of one event, one after another (``services.deliver`` each:
    each is claimed, retried and recorded on its own, so one refused address delays no other)."""
    return [services.deliver(email_id).value for email_id in email_ids]


@task(queue_name=settings.TASKS_QUEUE_NAME)
def requeue_stalled_emails() -> dict[str, int]:
    """Maintenance: enqueue again e-mails whose task was lost (``services.requeue_stalled``)."""
    return services.requeue_stalled()


@task(queue_name=settings.TASKS_QUEUE_NAME)
def purge_old_emails() -> dict[str, int]:
    """Maintenance: delete old sent and failed e-mails (``services.purge_old``)."""
    return services.purge_old()
