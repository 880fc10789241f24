"""The real worker: ``manage.py run_worker`` as a process, on each backend, into a real SMTP server.

Everything runs as in production, each step its own process with the production settings, on
a copy of the session's migrated SQLite database (``sqlite_database``): a script changes a
ticket through the real services (the e-mails are queued and their delivery enqueued on
commit), plants an outbox row whose task was lost and an old sent one, and ``run_maintenance``
enqueues the upkeep; then ``run_worker --burst`` works the queue and exits. The e-mails must
arrive at the test's aiosmtpd server, once each, and the maintenance's effects must show in the
database.

Backends: the database queue (always) and RQ on the Redis of ``REDIS_URL`` (skipped without it,
as CI's PostgreSQL + Redis pass sets it), on a queue named for this run alone
(``DJANGO_TASKS_QUEUE``) that is deleted afterwards with its jobs. That a continuously running
worker stops promptly on SIGINT and SIGTERM is the shared contract's (``TestRunningWorker`` in
tests/test_contract.py).
"""

from __future__ import annotations

import json
import os
import uuid

import pytest
from shared.processes import PRODUCTION

from tests.processes import manage, run_python

pytestmark = pytest.mark.worker

SETTINGS = "config.settings.production"

ENQUEUE = """
import json
from datetime import timedelta

import django

django.setup()
from django.utils import timezone

from accounts.models import User
from mail.models import EmailStatus, OutboundEmail
from tickets import services

customer = User.objects.create_user("alice", "alice@example.com")
agent = User.objects.create_user("agent", "agent@example.com", is_staff=True)
ticket = services.open_ticket(
    creator=customer, title="Printer on fire", description="Smoke.", priority="high"
)
services.update_ticket(ticket=ticket, actor=agent, status="pending")
services.add_comment(ticket=ticket, author=agent, body="A technician is on the way.")
now = timezone.now()
# Queued while the task queue was down: a row, but no task. The maintenance finds it.
OutboundEmail.objects.create(
    event_key="lost-1", recipient="bob@example.com", subject="Lost and found", body="Hello.",
    message_id="<lost-1@localhost>", next_attempt_at=now - timedelta(minutes=10),
)
# Sent two months ago: the maintenance deletes it.
OutboundEmail.objects.create(
    event_key="old-1", recipient="bob@example.com", subject="Old", body="Hello.",
    message_id="<old-1@localhost>", status=EmailStatus.SENT, sent_at=now - timedelta(days=60),
    created_at=now - timedelta(days=60),
)
print(json.dumps({"ticket": ticket.pk}))
"""

OUTBOX = """
import json

import django

django.setup()
from mail.models import OutboundEmail

rows = OutboundEmail.objects.order_by("event_key").values_list("event_key", "status", "attempts")
print(json.dumps([list(row) for row in rows]))
"""


@pytest.fixture(params=["database", "rq"])
def backend_env(request, sqlite_database):
    """The environment of every process of one deployment: its database, queue and SMTP."""
    env = {**PRODUCTION, "DATABASE_URL": sqlite_database}
    if request.param == "rq":
        redis_url = os.environ.get("REDIS_URL")
        if not redis_url:
            pytest.skip("RQ worker: set REDIS_URL (e.g. redis://127.0.0.1:6379/1) to run it.")
        queue = f"helpdesk-test-{uuid.uuid4().hex[:12]}"
        env |= {"REDIS_URL": redis_url, "DJANGO_TASKS_QUEUE": queue}
        yield env
        _delete_rq_queue(redis_url, queue)
    else:
        yield env


def _python(code, env):
    result = run_python(SETTINGS, code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _manage(*args, env):
    return manage(*args, settings_module=SETTINGS, **env)


def _with_smtp(env, smtp_server):
    return env | {
        "DJANGO_EMAIL_HOST": smtp_server.host,
        "DJANGO_EMAIL_PORT": str(smtp_server.port),
        "DJANGO_EMAIL_USE_TLS": "false",
    }


def test_the_worker_delivers_queued_mail_and_runs_the_maintenance(backend_env, smtp_server):
    env = _with_smtp(backend_env, smtp_server)
    ticket = json.loads(_python(ENQUEUE, env).splitlines()[-1])["ticket"]
    maintenance = _manage("run_maintenance", env=env)
    assert maintenance.returncode == 0, maintenance.stderr
    assert maintenance.stdout.splitlines() == [
        "requeue_stalled_emails: enqueued",
        "purge_old_emails: enqueued",
        "prune_task_results: enqueued",
        "clean_up_files: enqueued",
    ]
    assert smtp_server.messages == []  # nothing is sent before a worker runs

    worker = _manage("run_worker", "--burst", env=env)

    assert worker.returncode == 0, worker.stderr
    messages = smtp_server.wait_for(4)
    assert sorted(str(message["Subject"]) for message in messages) == [
        "Lost and found",
        f"[#{ticket}] Printer on fire: new reply",
        f"[#{ticket}] Printer on fire: new ticket",  # to the staff, by the batch task
        f"[#{ticket}] Printer on fire: now Pending",
    ]
    assert sorted(recipients for _, recipients in smtp_server.envelopes) == [
        ["agent@example.com"],
        ["alice@example.com"],
        ["alice@example.com"],
        ["bob@example.com"],
    ]
    outbox = json.loads(_python(OUTBOX, env).splitlines()[-1])
    assert outbox == [
        ["lost-1", "sent", 1],
        [f"ticket-{ticket}-change-1", "sent", 1],
        [f"ticket-{ticket}-comment-1", "sent", 1],
        [f"ticket-{ticket}-opened", "sent", 1],
    ]  # "old-1" was purged

    again = _manage("run_worker", "--burst", env=env)  # nothing left: nothing sent twice
    assert again.returncode == 0, again.stderr
    # The worker has exited, and the SMTP server records a message before it answers 250.
    assert len(smtp_server.messages) == 4


def _delete_rq_queue(redis_url, name):
    """Delete the test's RQ queue, its registries and every job it ran."""
    from redis import Redis
    from rq import Queue
    from rq.exceptions import NoSuchJobError
    from rq.job import Job
    from rq.registry import (
        CanceledJobRegistry,
        DeferredJobRegistry,
        FailedJobRegistry,
        FinishedJobRegistry,
        ScheduledJobRegistry,
        StartedJobRegistry,
    )

    connection = Redis.from_url(redis_url)
    queue = Queue(name, connection=connection)
    registries = (
        CanceledJobRegistry,
        DeferredJobRegistry,
        FailedJobRegistry,
        FinishedJobRegistry,
        ScheduledJobRegistry,
        StartedJobRegistry,
    )
    job_ids = set(queue.get_job_ids())
    for registry in registries:
        job_ids.update(registry(queue=queue).get_job_ids())
    for job_id in job_ids:
        try:
            Job.fetch(job_id, connection=connection).delete()
        except NoSuchJobError:
            continue
    queue.delete(delete_jobs=True)
    for key in connection.scan_iter(match=f"*{name}*"):
        connection.delete(key)
