import json
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from orders.tasks import purge_idempotency_records

pytestmark = pytest.mark.django_db


def _health(client):
    response = client.get(reverse("healthz"))
    return response, json.loads(response.content)


def test_healthz_answers_ok_after_a_database_round_trip(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # the unit tests' immediate backend has no queue to read
        response, body = _health(client)

    assert response.status_code == 200
    assert body == {
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
        response, body = _health(client)

    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["database"] == "unavailable"


@pytest.mark.usefixtures("database_queue")
def test_without_the_database_its_cache_and_queue_are_unavailable_too(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
        }
    }
    call_command("createcachetable", verbosity=0)  # made only without REDIS_URL by migrate
    down = OperationalError("down")
    with (
        mock.patch("config.health.connection.cursor", side_effect=down),
        mock.patch("django_tasks_db.models.DBTaskResultQuerySet.aggregate", side_effect=down),
    ):
        response, body = _health(client)

    assert response.status_code == 503
    assert body["cache"] == "unavailable"
    assert body["queue"]["status"] == "unavailable"


def test_healthz_refuses_writes(client):
    assert client.post(reverse("healthz")).status_code == 405


def test_healthz_needs_no_login(client):
    response = client.get("/healthz")

    assert response.status_code == 200


@pytest.mark.usefixtures("database_queue")
def test_healthz_reports_the_database_queue_with_one_more_query(client, django_assert_num_queries):
    with django_assert_num_queries(2):
        response, body = _health(client)

    assert response.status_code == 200
    assert body["queue"] == {
        "backend": "database",
        "status": "ok",
        "depth": 0,
        "oldest_waiting_seconds": None,
    }


@pytest.mark.usefixtures("database_queue")
def test_healthz_counts_the_tasks_ready_to_run_and_the_oldest_ones_wait(client):
    task = purge_idempotency_records
    oldest = task.enqueue().id
    task.enqueue()
    task.using(run_after=timezone.now() + timedelta(hours=1)).enqueue()  # not ready yet
    finished = task.enqueue().id
    DBTaskResult.objects.filter(pk=finished).update(status="SUCCESSFUL")
    DBTaskResult.objects.filter(pk=oldest).update(enqueued_at=timezone.now() - timedelta(minutes=5))

    response, body = _health(client)

    assert response.status_code == 200
    assert body["queue"]["depth"] == 2
    assert 300 <= body["queue"]["oldest_waiting_seconds"] < 360


@pytest.mark.usefixtures("database_queue")
def test_healthz_counts_a_deferred_task_once_it_is_due(client):
    task = purge_idempotency_records
    deferred = task.using(run_after=timezone.now() + timedelta(hours=1)).enqueue().id
    DBTaskResult.objects.filter(pk=deferred).update(run_after=timezone.now() - timedelta(seconds=1))

    _, body = _health(client)

    assert body["queue"]["depth"] == 1


@pytest.mark.usefixtures("database_queue")
def test_healthz_reports_a_database_queue_that_cannot_be_read_and_stays_200(client):
    table = DBTaskResult._meta.db_table
    with connection.cursor() as cursor:  # undone with the test's transaction
        cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_moved_away")

    response, body = _health(client)

    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["queue"] == {
        "backend": "database",
        "status": "unavailable",
        "depth": None,
        "oldest_waiting_seconds": None,
    }


def test_healthz_reports_the_rq_queue(client, rq_queue):
    task = purge_idempotency_records.using(queue_name=rq_queue)
    task.enqueue()
    task.enqueue()

    response, body = _health(client)

    assert response.status_code == 200
    assert body["queue"]["backend"] == "rq"
    assert body["queue"]["status"] == "ok"
    assert body["queue"]["depth"] == 2
    assert 0 <= body["queue"]["oldest_waiting_seconds"] < 60


def test_healthz_counts_a_due_rq_task_the_scheduler_has_not_moved_yet(client, rq_queue):
    task = purge_idempotency_records.using(queue_name=rq_queue)
    task.using(run_after=timezone.now() - timedelta(seconds=30)).enqueue()
    task.using(run_after=timezone.now() + timedelta(hours=1)).enqueue()  # not due

    _, body = _health(client)

    assert body["queue"]["depth"] == 1
    assert 30 <= body["queue"]["oldest_waiting_seconds"] < 90


def test_healthz_reports_an_empty_rq_queue(client, rq_queue):
    _, body = _health(client)

    assert body["queue"] == {
        "backend": "rq",
        "status": "ok",
        "depth": 0,
        "oldest_waiting_seconds": None,
    }


@pytest.mark.usefixtures("unreachable_rq_queue")
def test_an_unreachable_rq_queue_is_reported_and_healthz_stays_200(client):
    response, body = _health(client)

    assert response.status_code == 200
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
