"""``/healthz``: 200 while the database answers, 503 when it does not; the cache and the task
queue are reported, and make the status "degraded" when they are away.

The queue is checked on each backend: the tests' immediate backend, the database queue (the
default without ``REDIS_URL``), RQ on the real Redis of ``REDIS_URL`` (skipped without it) and
RQ on a port where nothing listens. The real outages (Redis killed, PostgreSQL restarted under
gunicorn) are each project's ``tests/faults/``.
"""

from __future__ import annotations

import importlib
import json
import os
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from shared.contract import Deployment
from shared.services import free_port

URL = "/healthz"
IMMEDIATE = {"backend": "immediate", "status": "ok", "depth": 0, "oldest_waiting_seconds": None}


def _unavailable(backend: str) -> dict[str, Any]:
    return {
        "backend": backend,
        "status": "unavailable",
        "depth": None,
        "oldest_waiting_seconds": None,
    }


def _health(client: Client) -> tuple[int, dict[str, Any]]:
    response = client.get(URL)
    return response.status_code, json.loads(response.content)


def _use_rq(settings: Any, queue: str, url: str) -> None:
    settings.RQ_QUEUES = {queue: {"URL": url}}
    settings.RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [queue]}}


def _use_database_cache(settings: Any) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
        }
    }
    call_command("createcachetable", verbosity=0)  # what migrate does when the settings use it


@pytest.mark.django_db
class HealthContract:
    """Subclass as ``TestHealth`` beside a ``deployment`` fixture."""

    @pytest.fixture(scope="class")
    @classmethod
    def sample_task(cls, deployment: Deployment) -> Any:
        """Imported before any test switches the backend: a task module checks its queue's
        name against the backend of the moment when it is imported."""
        module, _, name = deployment.sample_task.rpartition(".")
        return getattr(importlib.import_module(module), name)

    @pytest.fixture
    def database_queue(self, settings: Any) -> None:
        """Tasks go to the database queue, as without ``REDIS_URL``: rows wait for a worker."""
        settings.TASKS = {
            "default": {
                "BACKEND": "django_tasks_db.DatabaseBackend",
                "QUEUES": [settings.TASKS_QUEUE_NAME],
            }
        }

    @pytest.fixture
    def rq_queue(self, settings: Any) -> Iterator[str]:
        """Tasks go to RQ on the Redis of ``REDIS_URL``, on a queue of this test's own, deleted
        afterwards with its jobs; skipped without ``REDIS_URL``."""
        url = os.environ.get("REDIS_URL")
        if not url:
            pytest.skip("RQ queue: set REDIS_URL (e.g. redis://127.0.0.1:6379/1) to run it.")
        import django_rq
        from rq.registry import ScheduledJobRegistry

        name = f"contract-{uuid.uuid4().hex[:12]}"
        _use_rq(settings, name, url)
        queue = django_rq.get_queue(name)
        yield name
        scheduled = ScheduledJobRegistry(queue=queue)
        for job_id in [*queue.job_ids, *scheduled.get_job_ids()]:
            queue.connection.delete(queue.job_class.key_for(job_id))
        queue.connection.delete(queue.key, scheduled.key)
        queue.delete(delete_jobs=True)

    # --- The database and the cache ---------------------------------------------------------

    def test_healthz_answers_ok_after_a_database_round_trip(
        self, client: Client, django_assert_num_queries: Any
    ) -> None:
        with django_assert_num_queries(1):  # the test settings' immediate backend has no queue
            response = client.get(URL)

        assert response.status_code == 200
        assert json.loads(response.content) == {
            "status": "ok",
            "database": "ok",
            "cache": "ok",
            "queue": IMMEDIATE,
        }
        assert "no-cache" in response["Cache-Control"]

    def test_healthz_is_503_when_the_database_is_unreachable(self, client: Client) -> None:
        with mock.patch("config.health.connection.cursor", side_effect=OperationalError("down")):
            status, body = _health(client)

        assert status == 503
        assert body == {
            "status": "unavailable",
            "database": "unavailable",
            "cache": "ok",  # the tests' local memory, or Redis with REDIS_URL
            "queue": IMMEDIATE,
        }

    @pytest.mark.usefixtures("database_queue")
    def test_without_the_database_its_cache_and_queue_are_unavailable_too(
        self, client: Client, settings: Any
    ) -> None:
        _use_database_cache(settings)
        down = OperationalError("down")
        with (
            mock.patch("config.health.connection.cursor", side_effect=down),
            mock.patch("django_tasks_db.models.DBTaskResultQuerySet.aggregate", side_effect=down),
        ):
            status, body = _health(client)

        assert status == 503
        assert body == {
            "status": "unavailable",
            "database": "unavailable",
            "cache": "unavailable",
            "queue": _unavailable("database"),
        }

    def test_the_database_cache_is_ok_while_the_database_answers(
        self, client: Client, settings: Any
    ) -> None:
        _use_database_cache(settings)

        status, body = _health(client)

        assert (status, body["status"], body["cache"]) == (200, "ok", "ok")

    def test_an_unreachable_redis_cache_is_reported_as_degraded_with_a_200(
        self, client: Client, settings: Any
    ) -> None:
        settings.CACHES = {
            "default": {
                "BACKEND": "config.cache.ResilientRedisCache",
                "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            }
        }

        status, body = _health(client)

        assert status == 200
        assert (body["status"], body["database"], body["cache"]) == (
            "degraded",
            "ok",
            "unavailable",
        )

    def test_healthz_refuses_writes(self, client: Client) -> None:
        assert client.post(URL).status_code == 405

    def test_healthz_needs_no_login_and_sets_no_cookie(self, client: Client) -> None:
        response = client.get(URL)

        assert response.status_code == 200
        assert not response.cookies

    # --- The database queue -----------------------------------------------------------------

    @pytest.mark.usefixtures("database_queue")
    def test_an_empty_database_queue_is_reported_in_one_more_query(
        self, client: Client, django_assert_num_queries: Any
    ) -> None:
        with django_assert_num_queries(2):
            status, body = _health(client)

        assert status == 200
        assert body["queue"] == {
            "backend": "database",
            "status": "ok",
            "depth": 0,
            "oldest_waiting_seconds": None,
        }

    @pytest.mark.usefixtures("database_queue")
    def test_the_database_queue_counts_the_ready_tasks_and_ages_the_oldest(
        self, client: Client, sample_task: Any
    ) -> None:
        from django_tasks_db.models import DBTaskResult

        now = timezone.now()
        oldest = sample_task.enqueue().id
        sample_task.enqueue()
        due = sample_task.using(run_after=now + timedelta(hours=1)).enqueue().id
        sample_task.using(run_after=now + timedelta(hours=1)).enqueue()  # not due yet
        finished = sample_task.enqueue().id
        DBTaskResult.objects.filter(pk=oldest).update(enqueued_at=now - timedelta(minutes=5))
        DBTaskResult.objects.filter(pk=due).update(run_after=now - timedelta(seconds=1))
        DBTaskResult.objects.filter(pk=finished).update(status="SUCCESSFUL")

        status, body = _health(client)

        assert status == 200
        assert body["queue"]["status"] == "ok"
        assert body["queue"]["depth"] == 3  # two queued and the deferred one that is due
        assert 300 <= body["queue"]["oldest_waiting_seconds"] < 360

    @pytest.mark.usefixtures("database_queue")
    def test_an_unreadable_queue_table_is_reported_but_the_probe_stays_up(
        self, client: Client
    ) -> None:
        with mock.patch(
            "django_tasks_db.models.DBTaskResultQuerySet.aggregate",
            side_effect=OperationalError("no such table: django_tasks_database_dbtaskresult"),
        ):
            status, body = _health(client)

        assert status == 200
        assert body["status"] == "degraded"
        assert body["queue"] == _unavailable("database")

    # --- RQ ---------------------------------------------------------------------------------

    def test_an_unreachable_rq_queue_is_reported_but_the_probe_stays_up(
        self, client: Client, settings: Any
    ) -> None:
        _use_rq(settings, settings.TASKS_QUEUE_NAME, f"redis://127.0.0.1:{free_port()}/0")

        status, body = _health(client)

        assert status == 200
        assert body == {
            "status": "degraded",
            "database": "ok",
            "cache": "ok",
            "queue": _unavailable("rq"),
        }

    def test_an_empty_rq_queue(self, client: Client, rq_queue: str) -> None:
        status, body = _health(client)

        assert status == 200
        assert body["queue"] == {
            "backend": "rq",
            "status": "ok",
            "depth": 0,
            "oldest_waiting_seconds": None,
        }

    def test_the_rq_queue_counts_the_ready_jobs_and_a_due_one_not_yet_moved(
        self, client: Client, rq_queue: str, sample_task: Any
    ) -> None:
        task = sample_task.using(queue_name=rq_queue)
        now = timezone.now()
        task.enqueue()
        task.enqueue()
        task.using(run_after=now - timedelta(seconds=30)).enqueue()  # due, not yet moved
        task.using(run_after=now + timedelta(minutes=5)).enqueue()

        status, body = _health(client)

        assert status == 200
        assert (body["queue"]["backend"], body["queue"]["status"]) == ("rq", "ok")
        assert body["queue"]["depth"] == 3
        assert 30 <= body["queue"]["oldest_waiting_seconds"] < 90
