"""shared.processes bound to this project's folder, and the test database's URL for a new process.

Settings are read once per process, so tests of what the environment selects (production
checks, the cache backend, gunicorn) need a process of their own.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.db.backends.base.base import BaseDatabaseWrapper
from shared import processes

PROJECT_DIR = Path(__file__).resolve().parent.parent


def run_python(settings_module: str, code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return processes.run_python(PROJECT_DIR, settings_module, code, **env)


def database_url(connection: BaseDatabaseWrapper) -> str:
    """A ``DATABASE_URL`` for the database this connection uses (the test database)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user, password = quote(settings["USER"], safe=""), quote(settings["PASSWORD"], safe="")
    return f"postgres://{user}:{password}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


def manage(*arguments: str, settings_module: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``python manage.py <arguments>`` in this project's folder, as a server or cron runs it:
    a process of its own, with only ``env`` on top of a clean environment."""
    return subprocess.run(  # noqa: S603 - this interpreter, this project's manage.py
        [sys.executable, "manage.py", *arguments],
        cwd=PROJECT_DIR,
        env=processes.clean_environment(settings_module, **env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def migrate(database_url: str, settings_module: str, **env: str) -> None:
    """``manage.py migrate`` of the database at ``database_url`` in a process of its own;
    ``RuntimeError`` with the command's error output when it fails."""
    result = manage(
        "migrate",
        "--noinput",
        "-v",
        "0",
        settings_module=settings_module,
        **{**env, "DATABASE_URL": database_url},
    )
    if result.returncode != 0:
        raise RuntimeError(f"migrate failed:\n{result.stderr}")
