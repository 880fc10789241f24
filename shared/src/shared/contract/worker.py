"""The background work's two commands: ``run_maintenance`` (cron's) and ``run_worker``.

``manage.py run_maintenance`` enqueues each task of the project's ``MAINTENANCE_TASKS``
(``config/management/commands/run_maintenance.py``) for the worker and prints one line each;
``--now`` runs them in its own process and prints what each did; a task that cannot be
enqueued makes it exit non-zero, so cron reports it. ``manage.py run_worker`` runs the worker
of whichever backend ``TASKS`` chose, on the project's queue. What each maintenance task does
is tested in its project; so is what a database worker does when the database goes away.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import IO, Any
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import OperationalError

from shared.contract import Deployment
from shared.processes import PRODUCTION, clean_environment
from shared.services import free_port

WORKER_COMMAND = "config.management.commands.run_worker.call_command"
DB_WORKER_STARTED = re.compile(r"(Starting worker)")
RQ_WORKER_STARTED = re.compile(r"Worker (\w+): started with PID")
#: What a task's line says with ``--now``: its counts, e.g. "deleted 2, failed 0".
COUNTS = re.compile(r"[a-z_]+ \d+(, [a-z_]+ \d+)*")


def _use_database_queue(settings: Any) -> None:
    """Tasks go to the database queue, as without ``REDIS_URL``: rows wait for a worker."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": [settings.TASKS_QUEUE_NAME],
        }
    }


def _use_unreachable_rq(settings: Any) -> None:
    """Tasks go to RQ on a Redis that is down: a port on 127.0.0.1 where nothing listens."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [settings.TASKS_QUEUE_NAME]}
    }
    settings.RQ_QUEUES = {settings.TASKS_QUEUE_NAME: {"URL": f"redis://127.0.0.1:{free_port()}/0"}}
    settings.RQ = {"JOB_CLASS": "django_tasks_rq.Job"}


def _run_maintenance(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("run_maintenance", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
class MaintenanceContract:
    """Subclass as ``TestMaintenance`` beside a ``deployment`` fixture."""

    @pytest.fixture(scope="class")
    @classmethod
    def tasks(cls) -> tuple[Any, ...]:
        """The project's maintenance tasks, imported before any test switches the backend (a
        task module checks its queue's name against the backend of the moment)."""
        module = importlib.import_module("config.management.commands.run_maintenance")
        tasks: tuple[Any, ...] = module.MAINTENANCE_TASKS
        assert tasks, "no maintenance tasks: the rules below would prove nothing"
        return tasks

    def test_the_job_enqueues_each_task_for_the_worker_and_runs_none(
        self, tasks: tuple[Any, ...], settings: Any
    ) -> None:
        from django_tasks_db.models import DBTaskResult

        _use_database_queue(settings)

        out, err = _run_maintenance()

        assert out.splitlines() == [f"{task.name}: enqueued" for task in tasks]
        assert err == ""
        waiting = DBTaskResult.objects.values_list("task_path", "status", "queue_name")
        assert sorted(waiting) == sorted(
            (task.module_path, "READY", settings.TASKS_QUEUE_NAME) for task in tasks
        )

    def test_with_now_each_task_runs_here_and_says_what_it_did(
        self, tasks: tuple[Any, ...], settings: Any
    ) -> None:
        from django_tasks_db.models import DBTaskResult

        _use_database_queue(settings)

        out, _err = _run_maintenance("--now")

        lines = out.splitlines()
        assert [line.partition(": ")[0] for line in lines] == [task.name for task in tasks]
        for line in lines:
            assert COUNTS.fullmatch(line.partition(": ")[2]), line
        assert not DBTaskResult.objects.exists()  # nothing left for a worker

    def test_a_queue_that_cannot_be_reached_fails_the_job_for_cron_to_report(
        self, tasks: tuple[Any, ...], settings: Any
    ) -> None:
        _use_unreachable_rq(settings)
        err = StringIO()

        with pytest.raises(CommandError) as refused:
            call_command("run_maintenance", stdout=StringIO(), stderr=err)

        names = [task.name for task in tasks]
        assert str(refused.value) == f"Not enqueued: {', '.join(names)}."
        assert err.getvalue().splitlines() == [
            f"{name}: could not be enqueued (see the log)" for name in names
        ]


@pytest.mark.django_db
class WorkerCommandContract:
    """``run_worker`` starts the right worker on the project's queue. Subclass as
    ``TestWorkerCommand`` beside a ``deployment`` fixture."""

    def test_the_database_queues_worker_is_db_worker_on_the_projects_queue(
        self, deployment: Deployment, settings: Any
    ) -> None:
        _use_database_queue(settings)

        with mock.patch(WORKER_COMMAND) as run:
            call_command("run_worker")

        run.assert_called_once_with(
            "db_worker",
            queue_name=deployment.queue_name,
            batch=False,
            reload=False,  # a reload would stop a task half-way
            startup_delay=True,
            verbosity=1,
        )

    def test_a_burst_is_a_batch_that_starts_at_once(self, settings: Any) -> None:
        _use_database_queue(settings)

        with mock.patch(WORKER_COMMAND) as run:
            call_command("run_worker", "--burst")

        assert run.call_args.kwargs["batch"] is True
        assert run.call_args.kwargs["startup_delay"] is False

    def test_no_startup_delay_polls_at_once_and_keeps_running(self, settings: Any) -> None:
        _use_database_queue(settings)

        with mock.patch(WORKER_COMMAND) as run:
            call_command("run_worker", "--no-startup-delay")

        assert run.call_args.kwargs["batch"] is False
        assert run.call_args.kwargs["startup_delay"] is False

    @pytest.mark.parametrize("burst", [False, True], ids=["running", "burst"])
    def test_the_rq_worker_is_rqworker_with_its_scheduler_on_the_projects_queue(
        self, deployment: Deployment, settings: Any, burst: bool
    ) -> None:
        _use_unreachable_rq(settings)

        with mock.patch(WORKER_COMMAND) as run:
            call_command("run_worker", *(["--burst"] if burst else []))

        run.assert_called_once_with(
            "rqworker", deployment.queue_name, with_scheduler=True, burst=burst, verbosity=1
        )

    def test_there_is_no_worker_for_the_immediate_backend(self) -> None:
        with pytest.raises(CommandError, match=r"immediate backend.*no queue for a worker"):
            call_command("run_worker", "--burst")

    def test_a_backend_it_has_no_worker_for_is_refused_by_name(self, settings: Any) -> None:
        settings.TASKS = {
            "default": {
                "BACKEND": "django_tasks.backends.dummy.DummyBackend",
                "QUEUES": [settings.TASKS_QUEUE_NAME],
            }
        }

        with pytest.raises(ImproperlyConfigured, match="No worker for the task backend Dummy"):
            call_command("run_worker")

    def test_a_burst_reports_the_database_being_away_instead_of_waiting_for_it(
        self, settings: Any
    ) -> None:
        _use_database_queue(settings)
        away = OperationalError("server closed the connection unexpectedly")

        with mock.patch(WORKER_COMMAND, side_effect=away), pytest.raises(OperationalError):
            call_command("run_worker", "--burst")


# --- The real worker process ------------------------------------------------------------------


def _read_lines(stream: IO[str], lines: queue.Queue[str]) -> None:
    """Read the worker's output to its end (a thread: a silent worker cannot hang the test)."""
    for line in stream:
        lines.put(line)
    stream.close()


def _wait_for_line(lines: queue.Queue[str], needle: re.Pattern[str], timeout: float = 30) -> str:
    """Wait until the worker prints a line ``needle`` matches and return the match's first
    group; fail with what it printed otherwise."""
    deadline = time.monotonic() + timeout
    seen = []
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        seen.append(line)
        if match := needle.search(line):
            return match.group(1)
    raise AssertionError("the worker did not start:\n" + "".join(seen))


def _redis(url: str) -> Any:
    """A client of the project's Redis: redis-py comes with its RQ (this package needs none)."""
    return importlib.import_module("redis").Redis.from_url(url)


def _wait_until_idle(redis_url: str, worker_name: str, timeout: float = 30) -> None:
    """Wait until RQ's worker says it is idle (``rq:worker:<name>``'s ``state``): it has its
    signal handlers and is about to block waiting for a job, with nothing left to log at the
    default verbosity. A signal that lands while RQ writes a log line is lost in the logging
    module (it swallows the exception RQ's handler raises), so earlier is too early."""
    connection = _redis(redis_url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if connection.hget(f"rq:worker:{worker_name}", "state") == b"idle":
            return
        time.sleep(0.01)  # polling a condition, not waiting out a delay
    raise AssertionError(f"RQ's worker {worker_name} never became idle")


def _delete_rq_keys(redis_url: str, name: str) -> None:
    """Remove what the test's worker left in Redis under its queue's name."""
    connection = _redis(redis_url)
    for key in connection.scan_iter(match=f"*{name}*"):
        connection.delete(key)


@pytest.mark.worker
class RunningWorkerContract:
    """``run_worker`` as a real process with the production settings, on each backend (RQ on
    the Redis of ``REDIS_URL``, skipped without it, on a queue of the test's own): a running
    worker stops promptly on SIGINT (Ctrl-C, as ``nox -s demo`` sends) and on SIGTERM (a
    process manager's stop). Subclass as ``TestRunningWorker`` beside a ``deployment`` fixture.
    """

    @pytest.fixture(params=["database", "rq"])
    def environment(
        self, request: pytest.FixtureRequest, deployment: Deployment, tmp_path: Path
    ) -> Iterator[dict[str, str]]:
        env = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
        if request.param == "database":
            migrated = subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
                cwd=deployment.project_dir,
                env=clean_environment(deployment.production_settings, **env),
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            assert migrated.returncode == 0, migrated.stderr
            yield env
            return
        redis_url = os.environ.get("REDIS_URL")
        if not redis_url:
            pytest.skip("RQ worker: set REDIS_URL (e.g. redis://127.0.0.1:6379/1) to run it.")
        name = f"contract-{uuid.uuid4().hex[:12]}"  # at most 32 characters
        yield env | {"REDIS_URL": redis_url, "DJANGO_TASKS_QUEUE": name}
        _delete_rq_keys(redis_url, name)

    @pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
    def test_a_running_worker_stops_promptly_on_a_signal(
        self, deployment: Deployment, environment: dict[str, str], stop: signal.Signals
    ) -> None:
        redis_url = environment.get("REDIS_URL")
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--no-startup-delay"],
            cwd=deployment.project_dir,
            env=clean_environment(deployment.production_settings, **environment),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its group: RQ's scheduler is a child process of its own
        )
        assert worker.stdout is not None
        lines: queue.Queue[str] = queue.Queue()
        reader = threading.Thread(target=_read_lines, args=(worker.stdout, lines), daemon=True)
        reader.start()
        try:
            if redis_url:
                name = _wait_for_line(lines, RQ_WORKER_STARTED)
                _wait_until_idle(redis_url, name)
            else:
                # Logged once its signal handlers are in place; with no start-up delay it
                # polls at once.
                _wait_for_line(lines, DB_WORKER_STARTED)
            worker.send_signal(stop)
            signalled = time.monotonic()
            returncode = worker.wait(timeout=10)
            stopped_after = time.monotonic() - signalled
            output = "".join(lines.queue)
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
            with contextlib.suppress(ProcessLookupError):  # nothing of it left: as it should be
                os.killpg(worker.pid, signal.SIGKILL)
            reader.join(timeout=5)

        assert returncode == 0, output
        assert stopped_after < 5, output
