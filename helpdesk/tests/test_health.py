"""``/healthz``: 200 while the database answers, 503 when it does not; every dependency is
reported, and ``status`` says "degraded" when the cache or the queue is away.

The queue's fields are checked on each backend: the database queue (the default without
``REDIS_URL``), RQ on the real Redis of ``REDIS_URL`` (skipped without it), and RQ pointed at a
port where nothing listens, which must be reported as unavailable without failing the probe.
The cache likewise: Redis on a closed port is "unavailable" with a 200. The real outages
(Redis killed, PostgreSQL restarted under gunicorn) are in ``tests/faults/``.
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
from shared.services import free_port

from config import tasks as config_tasks
from mail import tasks as mail_tasks

pytestmark = pytest.mark.django_db


def _health(client):
    response = client.get(reverse("healthz"))
    return response.status_code, json.loads(response.content)


def test_healthz_answers_ok_after_a_database_round_trip(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # the test settings' immediate backend has no queue
        response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "queue": {
            "backend": "immediate",
            "status": "ok",
            "depth": 0,
            "oldest_waiting_seconds": None,
        },
    }
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_is_unreachable(client):
    with mock.patch("config.health.connection.cursor", side_effect=OperationalError("down")):
        status, body = _health(client)

    assert status == 503
    assert body["status"] == "unavailable"
    assert body["database"] == "unavailable"


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


def test_an_unreachable_redis_cache_is_reported_as_degraded_with_a_200(settings, client):
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }

    status, body = _health(client)

    assert status == 200
    assert (body["status"], body["database"], body["cache"]) == ("degraded", "ok", "unavailable")


def test_healthz_refuses_writes(client):
    assert client.post(reverse("healthz")).status_code == 405


def test_healthz_needs_no_login(client):
    response = client.get("/healthz")

    assert response.status_code == 200


# --- The database queue -------------------------------------------------------------------


def test_an_empty_database_queue_is_reported_in_one_more_query(
    database_tasks, client, django_assert_num_queries
):
    with django_assert_num_queries(2):
        status, body = _health(client)

    assert status == 200
    assert body["queue"] == {
        "backend": "database",
        "status": "ok",
        "depth": 0,
        "oldest_waiting_seconds": None,
    }


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


def test_an_unreadable_queue_table_is_reported_but_the_probe_stays_up(database_tasks, client):
    with mock.patch(
        "django_tasks_db.models.DBTaskResultQuerySet.aggregate",
        side_effect=OperationalError("no such table: django_tasks_database_dbtaskresult"),
    ):
        status, body = _health(client)

    assert status == 200
    assert body["queue"] == {
        "backend": "database",
        "status": "unavailable",
        "depth": None,
        "oldest_waiting_seconds": None,
    }


# --- RQ -----------------------------------------------------------------------------------


def test_an_unreachable_rq_queue_is_reported_but_the_probe_stays_up(unreachable_rq, client):
    status, body = _health(client)

    assert status == 200
    assert body == {
        "status": "degraded",
        "database": "ok",
        "cache": "ok",
        "queue": {
            "backend": "rq",
            "status": "unavailable",
            "depth": None,
            "oldest_waiting_seconds": None,
        },
    }


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


def test_an_empty_rq_queue(redis_tasks, client):
    status, body = _health(client)

    assert status == 200
    assert body["queue"] == {
        "backend": "rq",
        "status": "ok",
        "depth": 0,
        "oldest_waiting_seconds": None,
    }
