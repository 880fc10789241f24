"""``manage.py run_maintenance``: the scheduled upkeep that cron starts (README, "Background
work"). Each job is checked by its effect; the real worker process is in test_worker.py.

What every project's commands do (enqueue each task, fail for cron when the queue is away,
start the right worker, stop on a signal) is the shared contract's (``shared.contract.worker``,
``TestMaintenance``, ``TestWorkerCommand`` and ``TestRunningWorker`` in tests/test_contract.py).
"""

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from config.queue import TASK_RESULT_RETENTION
from orders.tasks import purge_idempotency_records

pytestmark = pytest.mark.django_db

MAINTENANCE = {
    "orders.tasks.purge_idempotency_records",
    "notifications.tasks.requeue_stalled_emails",
    "notifications.tasks.purge_old_emails",
    "config.tasks.prune_task_results",
    "config.tasks.clear_expired_sessions",
}


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("run_maintenance", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_with_now_the_job_runs_each_task_here_and_says_what_it_did():
    out, _ = _run("--now")

    assert out.splitlines() == [
        "purge_idempotency_records: deleted 0",
        "requeue_stalled_emails: requeued 0, given_up 0",
        "purge_old_emails: deleted 0",
        "prune_task_results: deleted 0",
        "clear_expired_sessions: deleted 0",
    ]


@pytest.mark.usefixtures("unreachable_rq_queue")
def test_a_task_that_cannot_be_enqueued_is_logged_by_name(caplog):
    with pytest.raises(CommandError):
        _run()

    assert "Could not enqueue the task purge_idempotency_records." in caplog.messages


def test_expired_sessions_are_cleared_and_live_ones_kept():
    expired, live = SessionStore(), SessionStore()
    expired.set_expiry(-60)
    expired.create()
    live.create()

    out, _ = _run("--now")

    assert "clear_expired_sessions: deleted 1" in out
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


@pytest.mark.usefixtures("database_queue")
def test_finished_task_results_are_pruned_after_their_retention():
    task = purge_idempotency_records
    old_done, old_failed, recent_done, waiting = (task.enqueue().id for _ in range(4))
    long_ago = timezone.now() - TASK_RESULT_RETENTION - timedelta(minutes=1)
    DBTaskResult.objects.filter(pk=old_done).update(status="SUCCESSFUL", finished_at=long_ago)
    DBTaskResult.objects.filter(pk=old_failed).update(status="FAILED", finished_at=long_ago)
    DBTaskResult.objects.filter(pk=recent_done).update(
        status="SUCCESSFUL", finished_at=timezone.now()
    )

    out, _ = _run("--now")

    assert "prune_task_results: deleted 2" in out
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {
        DBTaskResult.objects.get(pk=recent_done).pk,
        DBTaskResult.objects.get(pk=waiting).pk,
    }


def test_the_retention_of_finished_task_results_is_7_days():
    assert timedelta(days=7) == TASK_RESULT_RETENTION


@pytest.mark.usefixtures("database_queue")
def test_the_database_worker_starts_again_when_the_database_was_away(monkeypatch, caplog):
    runs: list[dict[str, Any]] = []

    def db_worker(name, **options):
        runs.append(options)
        if len(runs) == 1:
            raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("config.management.commands.run_worker.call_command", db_worker)
    monkeypatch.setattr("config.management.commands.run_worker.sleep", lambda seconds: None)

    call_command("run_worker")

    assert len(runs) == 2
    assert runs[0]["batch"] is False
    assert "the worker starts again in 5 seconds" in caplog.text
