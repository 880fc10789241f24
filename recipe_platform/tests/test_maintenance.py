"""The scheduled upkeep (``manage.py run_maintenance``) and the worker command (``run_worker``).

``run_maintenance`` is what cron runs: it enqueues each job (or runs them with ``--now``) and
says what it did; each job's effect is checked here by running the command, as cron would.
What every project's commands do (enqueue each task, fail for cron when the queue is away,
start the right worker, a burst not waiting for the database) is the shared contract's
(``shared.contract.worker``, ``TestMaintenance`` and ``TestWorkerCommand`` in
tests/test_contract.py); here is how this worker outlives the database going away.
"""

import io
import logging
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone
from shared.factories import UserFactory

from accounts import services as account_services
from recipes.models import UnusedPhotoFile
from tests.factories import RecipeFactory

pytestmark = pytest.mark.django_db


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("run_maintenance", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _expired_session():
    return Session.objects.create(
        session_key="expired" + "x" * 25,
        session_data="",
        expire_date=timezone.now() - timedelta(minutes=1),
    )


def test_maintenance_now_deletes_due_photo_files_and_expired_sessions(media_files, client):
    recipe = RecipeFactory.create(photo=True)
    deleted_with_its_author = RecipeFactory.create(photo=True)
    deleted_with_its_author.author.delete()  # the admin's cascade: no service ran
    _expired_session()
    client.force_login(UserFactory.create())  # a live session, kept

    out, _err = _run("--now")

    assert out.splitlines() == [
        "delete_orphaned_images: deleted 2, failed 0, in_use 0",
        "clear_expired_sessions: deleted 1",
        "prune_task_results: deleted 0",
    ]
    assert media_files() == sorted(recipe.image_files)
    assert Session.objects.count() == 1
    assert not UnusedPhotoFile.objects.exists()


def test_running_the_maintenance_again_finds_nothing_left_to_do(media_files):
    RecipeFactory.create(photo=True).author.delete()
    _run("--now")

    out, _err = _run("--now")

    assert out.splitlines()[:2] == [
        "delete_orphaned_images: deleted 0, failed 0, in_use 0",
        "clear_expired_sessions: deleted 0",
    ]


def test_expired_sessions_of_other_engines_are_left_to_the_engine(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"

    assert account_services.clear_expired_sessions() == {"deleted": 0}


# --- run_worker -------------------------------------------------------------------------------


def test_the_database_worker_starts_again_after_losing_the_database(database_tasks, caplog):
    lost = OperationalError("server closed the connection unexpectedly")
    with (
        mock.patch(
            "config.management.commands.run_worker.call_command", side_effect=[lost, lost, None]
        ) as run,
        mock.patch("config.management.commands.run_worker.sleep") as sleep,
        caplog.at_level(logging.WARNING, logger="config.management.commands.run_worker"),
    ):
        call_command("run_worker")

    assert run.call_count == 3
    assert [pause.args[0] for pause in sleep.call_args_list] == [1.0, 2.0]
    assert "The task worker lost the database" in caplog.text


def _pauses(runs, moments):
    """The pauses run_worker makes when db_worker ends as ``runs`` say, at ``moments``."""
    with (
        mock.patch("config.management.commands.run_worker.call_command", side_effect=runs),
        mock.patch("config.management.commands.run_worker.sleep") as sleep,
        mock.patch("config.management.commands.run_worker.monotonic", side_effect=moments),
    ):
        call_command("run_worker")
    return [pause.args[0] for pause in sleep.call_args_list]


def test_the_pause_before_starting_again_doubles_up_to_a_minute(database_tasks):
    lost = OperationalError("the database system is shutting down")

    assert _pauses([lost] * 8 + [None], [0] * 18) == [1, 2, 4, 8, 16, 32, 60, 60]


def test_the_pause_starts_short_again_after_the_worker_ran_for_a_while(database_tasks):
    lost = OperationalError("the database system is shutting down")
    # Two quick failures, then a run of ten minutes, then a failure.
    moments = [0, 0, 1, 1, 3, 603, 603]

    assert _pauses([lost, lost, lost, None], moments) == [1, 2, 1]
