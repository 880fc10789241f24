"""The real worker: ``manage.py run_worker`` as a process, on each backend, deleting real files.

Everything runs as in production, each step its own process with the production settings: a
SQLite database (a copy of the one the session migrated, ``migrated_database``) and a photo
folder in a temporary directory; a script that publishes two
recipes with photos through the real services, deletes one (its files' deletion is enqueued on
commit) and deletes the author of a third (a cascade: no task, only the record that its files
are unused); ``run_maintenance`` enqueues the upkeep; then ``run_worker --burst`` works the queue
and exits. The deleted recipes' files must be gone and the kept recipe's files still there.

Backends: the database queue (always) and RQ on the Redis of ``REDIS_URL`` (skipped without it,
as CI's PostgreSQL + Redis pass sets it), on a queue named for this run alone
(``DJANGO_TASKS_QUEUE``) that is deleted afterwards with its jobs. That a continuously running
worker stops promptly on SIGINT and SIGTERM is the shared contract's (``TestRunningWorker`` in
tests/test_contract.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

import pytest
from shared.processes import PRODUCTION, clean_environment

from tests.processes import PROJECT_DIR, copy_sqlite_database, run_python
from tests.rq_queues import delete_queue

pytestmark = pytest.mark.worker

SETTINGS = "config.settings.production"

PUBLISH = """
import json

import django

django.setup()
from shared.factories import UserFactory
from shared.images import make_uploaded_image

from recipes import images, services
from recipes.models import Recipe


def publish(author, title):
    recipe = Recipe(
        author=author, title=title, instructions="Bake.",
        prep_minutes=5, cook_minutes=10, servings=2,
    )
    photo = images.process_upload(make_uploaded_image(size=(800, 600)))
    return services.save_recipe(recipe=recipe, categories=[], image=photo, image_alt=title)


cook, leaving = UserFactory.create(), UserFactory.create()
kept = publish(cook, "Kept")
deleted = publish(cook, "Deleted")
cascaded = publish(leaving, "Deleted with its author")
gone = [*deleted.image_files, *cascaded.image_files]
services.delete_recipe(recipe=deleted)  # its task is enqueued on commit (autocommit: now)
leaving.delete()  # the cascade records the files as unused; the maintenance deletes them
print(json.dumps({"kept": kept.image_files, "gone": gone}))
"""

UNUSED = """
import json

import django

django.setup()
from recipes.models import UnusedPhotoFile

print(json.dumps(list(UnusedPhotoFile.objects.values_list("name", flat=True))))
"""


@pytest.fixture(params=["database", "rq"])
def backend_env(request, tmp_path, migrated_database):
    """The environment of every process of one deployment: its database, photos and queue."""
    copy_sqlite_database(migrated_database, tmp_path / "db.sqlite3")
    env = {
        **PRODUCTION,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
    }
    if request.param == "rq":
        redis_url = os.environ.get("REDIS_URL")
        if not redis_url:
            pytest.skip("RQ worker: set REDIS_URL (e.g. redis://127.0.0.1:6379/3) to run it.")
        queue = f"recipes-test-{uuid.uuid4().hex[:12]}"
        env |= {"REDIS_URL": redis_url, "DJANGO_TASKS_QUEUE": queue}
        yield env
        delete_queue(redis_url, queue)
    else:
        yield env


def _python(code, env):
    result = run_python(SETTINGS, code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def _manage(*args, env, timeout=60):
    return subprocess.run(  # noqa: S603 - this interpreter and the project's manage.py
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=clean_environment(SETTINGS, **env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _stored(env):
    media = os.path.join(env["DJANGO_MEDIA_ROOT"], "recipes")
    return sorted(f"recipes/{name}" for name in os.listdir(media))


def test_the_worker_deletes_unused_photos_and_keeps_used_ones(backend_env):
    files = _python(PUBLISH, backend_env)
    maintenance = _manage("run_maintenance", env=backend_env)
    assert maintenance.returncode == 0, maintenance.stderr
    assert maintenance.stdout.splitlines() == [
        "delete_orphaned_images: enqueued",
        "clear_expired_sessions: enqueued",
        "prune_task_results: enqueued",
    ]
    assert _stored(backend_env) == sorted(files["kept"] + files["gone"])  # no worker yet

    worker = _manage("run_worker", "--burst", env=backend_env)

    assert worker.returncode == 0, worker.stderr
    assert _stored(backend_env) == sorted(files["kept"])
    assert _python(UNUSED, backend_env) == []
    again = _manage("run_worker", "--burst", env=backend_env)  # nothing left to do
    assert again.returncode == 0, again.stderr
    assert _stored(backend_env) == sorted(files["kept"])
