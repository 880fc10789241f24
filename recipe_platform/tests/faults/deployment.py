"""A deployment of this project for fault tests: its own database, photo folder and gunicorn.

Every process runs with the production settings (``shared.processes.clean_environment``), as a
server would: ``migrate`` and the seed script before gunicorn starts, gunicorn with two sync
workers, and ``manage.py`` commands afterwards to check what the faults left behind. On SQLite
the migrated and seeded database and its photos are made once per session (the ``seeded_site``
fixture) and each test starts from a copy of them (:meth:`Deployment.restore`).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from shared.processes import PRODUCTION, clean_environment
from shared.servers import Gunicorn, running_gunicorn

from tests.processes import PROJECT_DIR, copy_sqlite_database, run_python

SETTINGS = "config.settings.production"
PASSWORD = "fault-test-password-4711"  # noqa: S105 - a throwaway account in a throwaway database

SEED = f"""
import json

import django

django.setup()
from shared.images import make_uploaded_image

from accounts.models import User
from recipes import images, services
from recipes.models import Recipe

cook = User.objects.create_user("cook", "cook@example.com", {PASSWORD!r})
slugs = []
for number in range(3):
    recipe = Recipe(
        author=cook, title=f"Soup {{number}}", instructions="Boil.",
        prep_minutes=5, cook_minutes=10, servings=2,
    )
    photo = images.process_upload(make_uploaded_image(size=(800, 600)))
    services.save_recipe(recipe=recipe, categories=[], image=photo, image_alt="A soup")
    slugs.append(recipe.slug)
print(json.dumps(slugs))
"""

#: Every photo file in storage against what the recipes name and what is recorded as unused.
AUDIT = """
import json

import django

django.setup()
from django.core.files.storage import default_storage

from recipes.models import Recipe, UnusedPhotoFile

named = [name for pair in Recipe.objects.values_list("image", "thumbnail") for name in pair if name]
try:
    stored = {f"recipes/{name}" for name in default_storage.listdir("recipes")[1]}
except FileNotFoundError:
    stored = set()
recorded = set(UnusedPhotoFile.objects.values_list("name", flat=True))
print(json.dumps({
    "recipes": Recipe.objects.count(),
    "named_twice": sorted({name for name in named if named.count(name) > 1}),
    "named_but_missing": sorted(set(named) - stored),
    "stored_unaccounted": sorted(stored - set(named) - recorded),
    "stored_unused": sorted(stored - set(named)),
}))
"""


@dataclass(frozen=True)
class SeededSite:
    """A SQLite deployment after :meth:`Deployment.prepare`: what :meth:`Deployment.restore`
    copies, and the slugs of its three recipes."""

    database: Path
    media_root: Path
    slugs: list[str]


class Deployment:
    """One deployment's environment and the commands run against it."""

    def __init__(self, folder: Path, static_root: Path, **env: str) -> None:
        self.database = folder / "db.sqlite3"
        self.media_root = folder / "media"
        self.env = {
            **PRODUCTION,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_STATIC_ROOT": str(static_root),
            "DJANGO_MEDIA_ROOT": str(self.media_root),
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": f"sqlite:///{self.database}",
            "WEB_CONCURRENCY": "2",
            **env,
        }

    def manage(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603 - this interpreter and the project's manage.py
            [sys.executable, "manage.py", *args],
            cwd=PROJECT_DIR,
            env=clean_environment(SETTINGS, **self.env),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode != 0:
            pytest.fail(f"manage.py {' '.join(args)} failed:\n{done.stderr}")
        return done.stdout

    def python(self, code: str) -> Any:
        """Run ``code`` in a fresh interpreter of this deployment; its last line, as JSON."""
        done = run_python(SETTINGS, code, **self.env)
        if done.returncode != 0:
            pytest.fail(f"the script failed:\n{done.stderr}")
        return json.loads(done.stdout.splitlines()[-1])

    def prepare(self, migrated: Path | None = None) -> list[str]:
        """Migrate (or copy the SQLite database ``migrated``, migrated already), and publish
        three recipes with photos by ``cook``; returns their slugs."""
        if migrated is None:
            self.manage("migrate", "--noinput", "-v", "0")
        else:
            copy_sqlite_database(migrated, self.database)
        slugs: list[str] = self.python(SEED)
        return slugs

    def restore(self, site: SeededSite) -> list[str]:
        """Start as a copy of ``site`` (the same database and photos) instead of preparing: this
        deployment's own files, made in a fraction of a ``migrate``; returns the slugs."""
        if self.env["DATABASE_URL"] != f"sqlite:///{self.database}":
            raise ValueError("only a deployment on its own SQLite file can be restored")
        copy_sqlite_database(site.database, self.database)
        shutil.copytree(site.media_root, self.media_root, dirs_exist_ok=True)
        return list(site.slugs)

    def audit(self, after: str = "") -> dict[str, Any]:
        """Photo files against the recipes (``AUDIT``): each value a count or a list of names.
        The audit follows the script ``after`` in the same process: one fresh interpreter, not
        two."""
        result: dict[str, Any] = self.python(after + AUDIT)
        return result

    def stored_files(self) -> list[str]:
        """The photo files in storage now, read here: a poll that costs no fresh interpreter."""
        folder = self.media_root / "recipes"
        return sorted(path.name for path in folder.iterdir()) if folder.exists() else []

    @contextmanager
    def working(self) -> Iterator[Path]:
        """``manage.py run_worker`` running, its log in the file yielded; stopped with SIGTERM
        on the way out, which it must obey within ten seconds."""
        log = self.media_root.parent / "worker.log"
        with log.open("w") as output:
            worker = subprocess.Popen(
                [sys.executable, "manage.py", "run_worker"],
                cwd=PROJECT_DIR,
                env=clean_environment(SETTINGS, **self.env),
                stdout=output,
                stderr=subprocess.STDOUT,
            )
            try:
                yield log
            finally:
                worker.terminate()
                if worker.wait(timeout=10) != 0:
                    pytest.fail(f"the worker did not stop cleanly:\n{log.read_text()}")

    @contextmanager
    def serving(self) -> Iterator[Gunicorn]:
        with running_gunicorn(PROJECT_DIR, clean_environment(SETTINGS, **self.env)) as server:
            yield server


def worker_pids(server: Gunicorn) -> list[int]:
    """The gunicorn master's worker processes (Linux)."""
    master = server.process.pid
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()]


def eventually(check: Callable[[], object], timeout: float = 10.0) -> None:
    """Wait until ``check()`` is true, failing the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"not true within {timeout} seconds")
        time.sleep(0.2)
