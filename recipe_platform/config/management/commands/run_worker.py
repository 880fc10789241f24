"""``manage.py run_worker [--burst] [--no-startup-delay]``: the worker of the backend ``TASKS``
chose.

One command for every deployment, so process managers, ``nox -s demo`` and the README never
need to know the backend:

- the database queue (no ``REDIS_URL``): django_tasks_db's ``db_worker`` on this project's
  queue, never auto-reloading (a reload would stop a task half-way);
- RQ (``REDIS_URL``): django-rq's ``rqworker`` on this project's queue with RQ's scheduler,
  which moves deferred tasks into the queue when they are due.

``--burst`` runs what is ready now and exits (``db_worker --batch``, ``rqworker --burst``): for
tests and one-off catch-ups. Both workers stop on SIGINT or SIGTERM after the task in hand, at
once when idle. ``--no-startup-delay`` makes the database worker poll at once (RQ's never
waits), so a test knows it is idle in its polling loop without sleeping.

Both outlive an outage of what holds their queue: RQ's worker waits for Redis by itself (with a
back-off of up to a minute); ``db_worker`` stops at the first database error, so it is started
again here after a pause that doubles up to a minute, and carries on once the database is back.
A task that was running when the database went away is left "running" by django_tasks_db and not
run again: every task of this project is recorded before it is enqueued (README, "Background
work"), so the scheduled maintenance does its work instead.
"""

from __future__ import annotations

import logging
from time import monotonic, sleep
from typing import Any, Final

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from config.error_pages import DATABASE_UNAVAILABLE
from config.queue import backend_kind, queue_name

logger = logging.getLogger(__name__)

#: Seconds before the database worker starts again after a database error: doubled after each
#: failure in a row, up to the maximum.
FIRST_PAUSE: Final = 1.0
LONGEST_PAUSE: Final = 60.0


class Command(BaseCommand):
    help = "Run the background task worker of the configured backend (database queue or RQ)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--burst", action="store_true", help="Run the tasks that are ready now, then exit."
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
            self._run_database_worker(
                burst=burst, startup_delay=startup_delay and not burst, verbosity=verbosity
            )
        elif kind == "rq":
            call_command(
                "rqworker", queue_name(), with_scheduler=True, burst=burst, verbosity=verbosity
            )
        else:
            raise CommandError(
                "TASKS uses the immediate backend: each task runs as it is enqueued, so there is "
                "no queue for a worker."
            )

    def _run_database_worker(self, *, burst: bool, startup_delay: bool, verbosity: int) -> None:
        pause = FIRST_PAUSE
        while True:
            started = monotonic()
            try:
                call_command(
                    "db_worker",
                    queue_name=queue_name(),
                    batch=burst,
                    reload=False,
                    startup_delay=startup_delay,
                    verbosity=verbosity,
                )
            except DATABASE_UNAVAILABLE as error:
                if burst:
                    raise
                if monotonic() - started > LONGEST_PAUSE:
                    pause = FIRST_PAUSE  # it had been working: a new outage
                logger.warning(
                    "The task worker lost the database (%s); starting again in %g seconds.",
                    error,
                    pause,
                )
                close_old_connections()
                sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE)
            else:
                return
