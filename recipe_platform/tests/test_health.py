"""``/healthz`` beyond the shared contract (tests/test_contract.py runs shared.contract.health):
without the database nothing else is even asked, the database cache costs one query, and
running tasks are not counted as waiting.
"""

import json
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


# --- The database queue -------------------------------------------------------------------------


def test_finished_running_and_deferred_tasks_are_not_waiting(database_tasks, client):
    done, running, later = (tasks.delete_orphaned_images.enqueue() for _ in range(3))
    DBTaskResult.objects.filter(pk=done.id).update(status="SUCCESSFUL")
    DBTaskResult.objects.filter(pk=running.id).update(status="RUNNING")
    DBTaskResult.objects.filter(pk=later.id).update(run_after=timezone.now() + timedelta(hours=1))

    _status, body = _health(client)

    assert body["queue"]["depth"] == 0
    assert body["queue"]["oldest_waiting_seconds"] is None


# --- RQ -----------------------------------------------------------------------------------------
