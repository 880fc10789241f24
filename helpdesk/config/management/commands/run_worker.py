"""``manage.py run_worker [--burst] [--no-startup-delay]``: the worker of the backend ``TASKS``
chose.

One command for every deployment, so process managers, ``nox -s demo`` and the documentation
never need to know the backend:

- database queue (no ``REDIS_URL``): django_tasks_db's ``db_worker`` on this project's queue,
  never auto-reloading (a reload would kill a task mid-send);
- RQ (``REDIS_URL``): django-rq's ``rqworker`` on this project's queue with RQ's scheduler, which
  moves deferred tasks (e-mail retries) into the queue when they are due.

``--burst`` runs what is ready now and exits (``db_worker --batch``, ``rqworker --burst``): for
tests, benchmarks and one-off catch-ups. Both workers stop on SIGINT or SIGTERM after the task
in hand, at once when idle. ``--no-startup-delay`` makes the database worker poll at once
(RQ's never waits), so a test knows it is idle in its polling loop without sleeping.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from config.queue import backend_kind, queue_name


class Command(BaseCommand):
    help = "Run the background task worker of the configured backend (database queue or RQ)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--burst",
            action="store_true",
            help="Run the tasks that are ready now, then exit.",
        )
        parser.add_argument(
            "--no-startup-delay",
            action="store_false",
            dest="startup_delay",
            help="Poll the database queue at once, without db_worker's random pause of up to a "
            "second that spreads out workers started together (a single worker, tests).",
        )

    def handle(
        self, *args: Any, burst: bool, startup_delay: bool, verbosity: int, **options: Any
    ) -> None:
        kind = backend_kind()
        if kind == "database":
            call_command(
                "db_worker",
                queue_name=queue_name(),
                batch=burst,
                reload=False,
                startup_delay=startup_delay and not burst,
                verbosity=verbosity,
            )
        elif kind == "rq":
            call_command(
                "rqworker", queue_name(), with_scheduler=True, burst=burst, verbosity=verbosity
            )
        else:
            raise CommandError(
                "TASKS uses the immediate backend: each task runs when it is enqueued, "
                "so there is no queue for a worker."
            )
