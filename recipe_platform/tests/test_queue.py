"""config.queue: which backend runs, enqueueing after the commit that never breaks a page, and the
pruning of finished task results."""

import logging
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from config import queue
from recipes import tasks

pytestmark = pytest.mark.django_db


def test_the_deployment_default_is_the_database_queue(database_tasks):
    assert queue.backend_kind() == "database"


def test_the_unit_tests_run_each_task_as_it_is_enqueued():
    assert queue.backend_kind() == "immediate"


def test_redis_selects_rq(unreachable_rq):
    assert queue.backend_kind() == "rq"


def test_an_unknown_backend_is_refused(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    with pytest.raises(ImproperlyConfigured, match="DummyBackend"):
        queue.backend_kind()


def test_every_task_uses_the_projects_queue(settings):
    assert settings.TASKS_QUEUE_NAME == "recipe_platform"
    assert tasks.delete_files.queue_name == "recipe_platform"
    assert tasks.delete_orphaned_images.queue_name == "recipe_platform"


def test_enqueue_puts_the_task_on_the_queue(database_tasks):
    assert queue.enqueue(tasks.delete_files, names=["recipes/a.webp"]) is True

    (result,) = DBTaskResult.objects.all()
    assert result.task_path == "recipes.tasks.delete_files"
    assert result.queue_name == "recipe_platform"
    assert result.args_kwargs == {"args": [], "kwargs": {"names": ["recipes/a.webp"]}}


def test_an_enqueue_that_fails_is_logged_and_reported_never_raised(unreachable_rq, caplog):
    with caplog.at_level(logging.WARNING, logger="config.queue"):
        enqueued = queue.enqueue(tasks.delete_files, names=["recipes/a.webp"])

    assert enqueued is False
    assert "Could not enqueue delete_files(names=['recipes/a.webp'])" in caplog.text


def test_enqueue_on_commit_waits_for_the_commit(database_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        queue.enqueue_on_commit(tasks.delete_orphaned_images)
        assert not DBTaskResult.objects.exists()

    assert DBTaskResult.objects.count() == 1


def _enqueue_on_commit_and_roll_back():
    with transaction.atomic():
        queue.enqueue_on_commit(tasks.delete_orphaned_images)
        raise RuntimeError("rolled back")


def test_enqueue_on_commit_enqueues_nothing_when_the_transaction_rolls_back(
    database_tasks, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        _enqueue_on_commit_and_roll_back()

    assert callbacks == []
    assert not DBTaskResult.objects.exists()


def _finished(days_ago, status="SUCCESSFUL"):
    result = tasks.delete_orphaned_images.enqueue()
    finished_at = timezone.now() - timedelta(days=days_ago)
    DBTaskResult.objects.filter(pk=result.id).update(status=status, finished_at=finished_at)
    return result.id


def test_finished_task_results_are_pruned_after_a_week(database_tasks):
    old_success = _finished(days_ago=8)
    old_failure = _finished(days_ago=8, status="FAILED")
    recent = _finished(days_ago=6)
    waiting = tasks.delete_orphaned_images.enqueue().id

    assert queue.prune_task_results() == {"deleted": 2}

    remaining = {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)}
    assert remaining == {recent, waiting}
    assert old_success not in remaining
    assert old_failure not in remaining


def test_other_backends_keep_no_results_to_prune(unreachable_rq):
    assert queue.prune_task_results() == {"deleted": 0}
