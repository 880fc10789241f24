"""``manage.py run_maintenance`` (the cron job) and ``run_worker``'s choice of worker.

The e-mail side of the maintenance is specified in ``tests/mail/test_services.py``; the
real worker processes run in ``tests/test_worker.py``.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from config import tasks as config_tasks
from mail.models import EmailStatus, OutboundEmail
from tests.factories import OutboundEmailFactory

pytestmark = pytest.mark.django_db

MAINTENANCE = [
    "mail.tasks.requeue_stalled_emails",
    "mail.tasks.purge_old_emails",
    "config.tasks.prune_task_results",
    "attachments.tasks.clean_up_files",
]


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


def test_the_job_enqueues_each_maintenance_task_for_the_worker(database_tasks, capsys):
    stalled = _stalled_and_old_emails()

    call_command("run_maintenance")

    assert capsys.readouterr().out.splitlines() == [
        "requeue_stalled_emails: enqueued",
        "purge_old_emails: enqueued",
        "prune_task_results: enqueued",
        "clean_up_files: enqueued",
    ]
    assert sorted(DBTaskResult.objects.ready().values_list("task_path", flat=True)) == sorted(
        MAINTENANCE
    )
    assert OutboundEmail.objects.count() == 2  # nothing done before a worker runs it
    assert OutboundEmail.objects.get(pk=stalled.pk).status == EmailStatus.PENDING


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


def test_when_the_queue_is_down_the_job_fails_loudly_for_cron(unreachable_rq, capsys):
    with pytest.raises(CommandError, match="Not enqueued: requeue_stalled_emails, purge_old"):
        call_command("run_maintenance")

    assert capsys.readouterr().err.splitlines() == [
        "requeue_stalled_emails: could not be enqueued (see the log)",
        "purge_old_emails: could not be enqueued (see the log)",
        "prune_task_results: could not be enqueued (see the log)",
        "clean_up_files: could not be enqueued (see the log)",
    ]


def test_with_rq_there_are_no_task_results_to_prune(unreachable_rq):
    assert config_tasks.prune_task_results.call() == {"deleted": 0}


def test_the_worker_command_refuses_the_immediate_backend():
    with pytest.raises(CommandError, match="no queue for a worker"):
        call_command("run_worker", "--burst")


def test_the_worker_command_refuses_a_backend_it_has_no_worker_for(settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "QUEUES": [settings.TASKS_QUEUE_NAME],
        }
    }

    with pytest.raises(ImproperlyConfigured, match="No worker for the task backend DummyBackend"):
        call_command("run_worker")
