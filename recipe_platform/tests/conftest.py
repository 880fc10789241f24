from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from shared.images import make_uploaded_image
from shared.processes import PRODUCTION, collect_static

from recipes.models import Category
from tests.processes import PROJECT_DIR, run_python


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Each test starts with an empty cache: no page cached by an earlier test is served."""
    cache.clear()


@pytest.fixture
def categories(db: None) -> dict[str, Category]:
    """The default categories the data migration creates, by slug."""
    return {category.slug: category for category in Category.objects.all()}


@pytest.fixture
def media_files(media_root: Path) -> Callable[[], list[str]]:
    """A function listing every stored file (relative to MEDIA_ROOT) at the time it is called."""

    def list_files() -> list[str]:
        return sorted(
            path.relative_to(media_root).as_posix()
            for path in media_root.rglob("*")
            if path.is_file()
        )

    return list_files


@pytest.fixture
def recipe_data() -> Callable[..., dict[str, object]]:
    """POST data for a valid recipe form; keyword arguments override or add fields."""

    def build(**overrides: object) -> dict[str, object]:
        data: dict[str, object] = {
            "title": "Sunday pancakes",
            "description": "Fluffy and quick.",
            # The rows' formset with no rows; the ingredients come as a pasted list.
            "ingredients-TOTAL_FORMS": "0",
            "ingredients-INITIAL_FORMS": "0",
            "paste_ingredients": "250 g flour\n2 eggs\n400 ml milk",
            "instructions": "Whisk.\nRest.\nFry.",
            "prep_minutes": 10,
            "cook_minutes": 15,
            "servings": 4,
            # A new recipe needs a photo; pass image="" (and image_alt="") to send none.
            "image": make_uploaded_image(),
            "image_alt": "A stack of pancakes",
            "held_image": "",
        }
        data.update(overrides)
        return data

    return build


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """STATIC_ROOT after ``collectstatic`` with the production settings (run once per session)."""
    static_root = tmp_path_factory.mktemp("staticfiles")
    collect_static(PROJECT_DIR, static_root)
    return static_root


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database file ``manage.py migrate`` built in a fresh process with the production
    settings (once per session, without ``REDIS_URL``, so with the database cache's table).

    The tests of real processes (the worker, gunicorn under faults) copy it
    (``tests.processes.copy_sqlite_database``) instead of each paying a ``migrate`` of its own.
    """
    database = tmp_path_factory.mktemp("migrated") / "db.sqlite3"
    migrated = run_python(
        "config.settings.production",
        "from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'migrate', '--noinput', '-v', '0'])",
        **PRODUCTION,
        DATABASE_URL=f"sqlite:///{database}",
    )
    assert migrated.returncode == 0, migrated.stderr
    return database


def _rq_settings(settings, url: str, queue: str) -> None:
    settings.TASKS_QUEUE_NAME = queue
    settings.RQ_QUEUES = {queue: {"URL": url}}
    settings.RQ = {"JOB_CLASS": "django_tasks_rq.Job", "COMMIT_MODE": "auto"}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [queue]}}


@pytest.fixture
def database_tasks(settings) -> None:
    """Tasks go to the database queue (the deployment default), where nothing runs them."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": [settings.TASKS_QUEUE_NAME],
        }
    }


@pytest.fixture
def unreachable_rq(settings) -> None:
    """Tasks go to RQ on a loopback port where nothing listens: Redis is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _rq_settings(settings, f"redis://127.0.0.1:{port}/0", settings.TASKS_QUEUE_NAME)


@pytest.fixture
def real_rq(settings) -> Iterator[str]:
    """Tasks go to RQ on the Redis of ``REDIS_URL``, on a queue of this test's own (deleted
    afterwards with its jobs); yields the queue's name, which a test gives its tasks with
    ``task.using(queue_name=...)``. Skipped without ``REDIS_URL``."""
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("RQ: set REDIS_URL (e.g. redis://127.0.0.1:6379/3) to run it.")
    queue = f"recipes-test-{uuid.uuid4().hex[:12]}"
    _rq_settings(settings, url, queue)
    yield queue
    from tests.rq_queues import delete_queue

    delete_queue(url, queue)
