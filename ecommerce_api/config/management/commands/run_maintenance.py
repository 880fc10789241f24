"""``manage.py run_maintenance [--now]``: the scheduled upkeep, run from cron (README).

Each job is a task, enqueued here for the worker, so cron starts a short process and the work
runs where the tasks run; ``--now`` runs them in this process instead and prints what each did.
Every job is safe to run at any time, any number of times, on any number of machines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from config import tasks as config_tasks
from config.queue import enqueue
from notifications import tasks as notifications_tasks
from orders import tasks as orders_tasks

if TYPE_CHECKING:
    from django_tasks.base import Task

#: Expired idempotency records, e-mails whose task was lost, old e-mails, old finished task
#: results, expired sessions.
MAINTENANCE_TASKS: tuple[Task[[], dict[str, int]], ...] = (
    orders_tasks.purge_idempotency_records,
    notifications_tasks.requeue_stalled_emails,
    notifications_tasks.purge_old_emails,
    config_tasks.prune_task_results,
    config_tasks.clear_expired_sessions,
)


class Command(BaseCommand):
    help = "Enqueue the maintenance tasks (or run them now with --now) and say what was done."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            action="store_true",
            help="Run the maintenance in this process instead of enqueueing it for the worker.",
        )

    def handle(self, *args: Any, now: bool, **options: Any) -> None:
        failed = []
        for task in MAINTENANCE_TASKS:
            if now:
                counts = task.call()
                summary = ", ".join(f"{name} {count}" for name, count in counts.items())
                self.stdout.write(f"{task.name}: {summary}")
            elif enqueue(task):
                self.stdout.write(f"{task.name}: enqueued")
            else:
                failed.append(task.name)
                self.stderr.write(f"{task.name}: could not be enqueued (see the log)")
        if failed:
            # A non-zero exit makes cron report it; its next run enqueues them again.
            raise CommandError(f"Not enqueued: {', '.join(failed)}.")
