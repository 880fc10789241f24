"""``manage.py run_maintenance [--now]``: the scheduled upkeep, run from cron (README).

Each job is a task, enqueued here for the worker (so cron needs no SMTP or long-running work of
its own); ``--now`` runs them in this process instead and prints their results. Every job is
safe to run at any time and any number of times.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from attachments import tasks as attachment_tasks
from config import tasks as config_tasks
from config.queue import enqueue
from mail import tasks as mail_tasks

if TYPE_CHECKING:
    from django_tasks.base import Task

#: Re-enqueue e-mails whose task was lost, delete old outbox rows, prune finished task results,
#: delete attachment files no attachment uses.
MAINTENANCE_TASKS: tuple[Task[[], dict[str, int]], ...] = (
    mail_tasks.requeue_stalled_emails,
    mail_tasks.purge_old_emails,
    config_tasks.prune_task_results,
    attachment_tasks.clean_up_files,
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
            # A non-zero exit makes cron report it; the next run tries again.
            raise CommandError(f"Not enqueued: {', '.join(failed)}.")
