"""``manage.py run_maintenance`` (the cron job): what each of the help desk's tasks does.

What every project's maintenance and worker commands do (enqueue each task, fail for cron when
the queue is away, start the right worker, stop on a signal) is the shared contract's
(``shared.contract.worker``: ``TestMaintenance``, ``TestWorkerCommand`` and ``TestRunningWorker``
in tests/test_contract.py). The e-mail side of the maintenance is specified in
``tests/mail/test_services.py``; the real worker processes run in ``tests/test_worker.py``.
"""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from config import tasks as config_tasks
from mail.models import EmailStatus, OutboundEmail
from tests.factories import OutboundEmailFactory

pytestmark = pytest.mark.django_db


def _stalled_and_old_emails():
    now = timezone.now()
    stalled = OutboundEmailFactory.create(next_attempt_at=now - timedelta(minutes=10))
    old = now - timedelta(days=31)
    OutboundEmailFactory.create(status=EmailStatus.SENT, sent_at=old, created_at=old)
    return stalled


def _finished_task_result(days_ago):
    result = config_tasks.prune_task_results.enqueue()
    finished_at = timezone.now() - timedelta(days=days_ago)
    DBTaskResult.objects.filter(pk=result.id).update(status="SUCCESSFUL", finished_at=finished_at)
    return result.id


def test_with_now_the_job_runs_here_and_says_what_it_did(database_tasks, capsys):
    stalled = _stalled_and_old_emails()
    pruned = _finished_task_result(days_ago=8)
    kept = _finished_task_result(days_ago=6)

    call_command("run_maintenance", "--now")

    assert capsys.readouterr().out.splitlines() == [
        "requeue_stalled_emails: requeued 1, given_up 0",
        "purge_old_emails: deleted 1",
        "prune_task_results: deleted 1",
        "clean_up_files: deleted 0, failed 0, unclaimed_deleted 0",
    ]
    assert list(OutboundEmail.objects.all()) == [stalled]
    (delivery,) = DBTaskResult.objects.ready()  # the stalled e-mail's delivery, enqueued again
    assert delivery.args_kwargs == {"args": [], "kwargs": {"email_id": stalled.pk}}
    assert not DBTaskResult.objects.filter(pk=pruned).exists()
    assert DBTaskResult.objects.filter(pk=kept).exists()


def test_run_through_the_immediate_backend_the_job_takes_effect_at_once(mailoutbox):
    stalled = _stalled_and_old_emails()

    call_command("run_maintenance")

    (message,) = mailoutbox
    assert message.extra_headers["Message-ID"] == stalled.message_id
    assert list(OutboundEmail.objects.values_list("status", flat=True)) == [EmailStatus.SENT]


def test_with_rq_there_are_no_task_results_to_prune(unreachable_rq):
    assert config_tasks.prune_task_results.call() == {"deleted": 0}
