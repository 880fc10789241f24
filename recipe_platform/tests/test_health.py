"""``/healthz``: 200 while the database answers, 503 when it does not; the cache and the queue
are reported, and make the status "degraded" when they are away.

The queue's fields are checked on each backend: the database queue (the default without
``REDIS_URL``), RQ on the real Redis of ``REDIS_URL`` (skipped without it), and RQ pointed at a
port where nothing listens, which is reported as unavailable without failing the probe.
"""

import json
import socket
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from recipes import tasks

pytestmark = pytest.mark.django_db


def _health(client):
    response = client.get(reverse("healthz"))
    return response.status_code, json.loads(response.content)


IMMEDIATE_QUEUE = {
    "backend": "immediate",
    "status": "ok",
    "depth": 0,
    "oldest_waiting_seconds": None,
}


def test_healthz_answers_ok_after_a_database_round_trip(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # the test settings' immediate backend has no queue
        response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "queue": IMMEDIATE_QUEUE,
    }
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_is_unreachable(client):
    with mock.patch("config.health.connection.cursor", side_effect=OperationalError("down")):
        response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "unavailable",
        "database": "unavailable",
        "cache": "ok",  # the tests' local memory
        "queue": IMMEDIATE_QUEUE,
    }


def test_without_the_database_its_cache_and_queue_are_unavailable_without_asking(
    database_tasks, settings, client, django_assert_num_queries
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
        }
    }
    with (
        mock.patch("config.health.connection.cursor", side_effect=OperationalError("down")),
        django_assert_num_queries(0),
    ):
        status, body = _health(client)

    assert status == 503
    assert body["cache"] == "unavailable"
    assert body["queue"]["status"] == "unavailable"


def test_the_database_cache_is_asked_for_a_key_while_the_database_answers(
    settings, client, django_assert_num_queries
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
        }
    }
    call_command("createcachetable")  # what migrate does when the settings use it
    with django_assert_num_queries(2):
        status, body = _health(client)

    assert (status, body["status"], body["cache"]) == (200, "ok", "ok")


def test_an_unreachable_redis_cache_is_degraded_not_down(settings, client):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
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


# --- The database queue -------------------------------------------------------------------------


def test_an_empty_database_queue_costs_one_more_query(
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


def test_the_database_queue_counts_ready_tasks_and_the_oldest_ones_wait(database_tasks, client):
    tasks.delete_orphaned_images.enqueue()
    tasks.delete_files.enqueue(names=["recipes/a.webp"])
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=5))

    status, body = _health(client)

    assert status == 200
    assert body["queue"]["status"] == "ok"
    assert body["queue"]["depth"] == 2
    assert 300 <= body["queue"]["oldest_waiting_seconds"] < 310


def test_finished_running_and_deferred_tasks_are_not_waiting(database_tasks, client):
    done, running, later = (tasks.delete_orphaned_images.enqueue() for _ in range(3))
    DBTaskResult.objects.filter(pk=done.id).update(status="SUCCESSFUL")
    DBTaskResult.objects.filter(pk=running.id).update(status="RUNNING")
    DBTaskResult.objects.filter(pk=later.id).update(run_after=timezone.now() + timedelta(hours=1))

    _status, body = _health(client)

    assert body["queue"]["depth"] == 0
    assert body["queue"]["oldest_waiting_seconds"] is None


def test_an_unreadable_task_table_is_reported_and_the_probe_still_answers(database_tasks, client):
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


# --- RQ -----------------------------------------------------------------------------------------


def test_an_unreachable_redis_is_reported_and_the_probe_still_answers(unreachable_rq, client):
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


def test_the_rq_queue_counts_its_jobs_and_the_oldest_ones_wait(real_rq, client):
    status, body = _health(client)
    assert (status, body["queue"]) == (
        200,
        {"backend": "rq", "status": "ok", "depth": 0, "oldest_waiting_seconds": None},
    )

    tasks.delete_orphaned_images.using(queue_name=real_rq).enqueue()
    tasks.delete_files.using(queue_name=real_rq).enqueue(names=["recipes/a.webp"])
    _status, body = _health(client)

    assert body["queue"]["status"] == "ok"
    assert body["queue"]["depth"] == 2
    assert 0 <= body["queue"]["oldest_waiting_seconds"] < 60


def test_a_deferred_rq_job_waits_once_it_is_due(real_rq, client):
    due = timezone.now() - timedelta(minutes=2)
    later = timezone.now() + timedelta(hours=1)
    tasks.delete_orphaned_images.using(queue_name=real_rq, run_after=due).enqueue()
    tasks.delete_orphaned_images.using(queue_name=real_rq, run_after=later).enqueue()

    _status, body = _health(client)

    assert body["queue"]["depth"] == 1
    assert 120 <= body["queue"]["oldest_waiting_seconds"] < 180
