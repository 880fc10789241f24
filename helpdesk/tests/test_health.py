"""``/healthz`` beyond the shared contract (tests/test_contract.py runs shared.contract.health):
without the database nothing else is even asked, a retry's wait counts from when it became
due, and RQ ages its oldest job from when it was enqueued. The real outages (Redis killed,
PostgreSQL restarted under gunicorn) are in ``tests/faults/``.
"""

import json
import uuid
from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from config import tasks as config_tasks
from mail import tasks as mail_tasks

pytestmark = pytest.mark.django_db


def _health(client):
    response = client.get(reverse("healthz"))
    return response.status_code, json.loads(response.content)


def test_without_the_database_its_cache_and_queue_are_unavailable_too(
    database_tasks, client, django_assert_num_queries
):
    database_cache = DatabaseCache("django_cache", {})  # the cache without REDIS_URL

    with (
        mock.patch("config.health.connection.cursor", side_effect=OperationalError("down")),
        mock.patch("config.health.caches", {"default": database_cache}),
        django_assert_num_queries(0),
    ):
        status, body = _health(client)

    assert status == 503
    assert body == {
        "status": "unavailable",
        "database": "unavailable",
        "cache": "unavailable",
        "queue": {
            "backend": "database",
            "status": "unavailable",
            "depth": None,
            "oldest_waiting_seconds": None,
        },
    }


# --- The database queue -------------------------------------------------------------------


def test_the_database_queue_counts_the_ready_tasks_and_ages_the_oldest(database_tasks, client):
    now = timezone.now()
    queued = mail_tasks.deliver_email.enqueue(email_id=1)
    mail_tasks.deliver_email.enqueue(email_id=2)
    # Deferred an hour ago by 59 minutes: ready for one minute, not sixty.
    retry = mail_tasks.deliver_email.using(run_after=now - timedelta(minutes=1)).enqueue(email_id=3)
    mail_tasks.deliver_email.using(run_after=now + timedelta(minutes=5)).enqueue(email_id=4)
    finished = config_tasks.prune_task_results.enqueue()
    DBTaskResult.objects.filter(pk=queued.id).update(enqueued_at=now - timedelta(seconds=90))
    DBTaskResult.objects.filter(pk=retry.id).update(enqueued_at=now - timedelta(hours=1))
    DBTaskResult.objects.filter(pk=finished.id).update(
        status="SUCCESSFUL", enqueued_at=now - timedelta(days=1), finished_at=now
    )

    status, body = _health(client)

    assert status == 200
    assert body["queue"]["status"] == "ok"
    assert body["queue"]["depth"] == 3  # two queued and the retry that is due
    assert 90 <= body["queue"]["oldest_waiting_seconds"] < 100


# --- RQ -----------------------------------------------------------------------------------


@pytest.fixture
def redis_tasks(settings):
    """Tasks on RQ on the real Redis of ``REDIS_URL``, on a queue of this test's own, which is
    deleted afterwards with its jobs."""
    if not settings.REDIS_URL:
        pytest.skip("RQ queue: set REDIS_URL (e.g. redis://127.0.0.1:6379/1) to run it.")
    import django_rq
    from rq.registry import ScheduledJobRegistry

    name = f"helpdesk-test-{uuid.uuid4().hex[:12]}"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [name]}}
    settings.RQ_QUEUES = {name: {"URL": settings.REDIS_URL}}
    settings.RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    queue = django_rq.get_queue(name)
    yield name
    scheduled = ScheduledJobRegistry(queue=queue)
    for job_id in [*queue.job_ids, *scheduled.get_job_ids()]:
        queue.connection.delete(queue.job_class.key_for(job_id))
    queue.connection.delete(queue.key, scheduled.key)
    queue.delete(delete_jobs=True)


def test_the_rq_queue_counts_the_ready_jobs_and_ages_the_oldest(redis_tasks, client):
    import django_rq

    now = timezone.now()
    task = mail_tasks.deliver_email.using(queue_name=redis_tasks)
    task.enqueue(email_id=1)
    task.enqueue(email_id=2)
    task.using(run_after=now - timedelta(seconds=1)).enqueue(email_id=3)  # due, not yet moved
    task.using(run_after=now + timedelta(minutes=5)).enqueue(email_id=4)
    queue = django_rq.get_queue(redis_tasks)
    queue.connection.hset(
        queue.job_class.key_for(queue.job_ids[0]),
        "enqueued_at",
        (now - timedelta(seconds=90)).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
    )

    status, body = _health(client)

    assert status == 200
    assert body["queue"]["backend"] == "rq"
    assert body["queue"]["status"] == "ok"
    assert body["queue"]["depth"] == 3
    assert 90 <= body["queue"]["oldest_waiting_seconds"] < 100
