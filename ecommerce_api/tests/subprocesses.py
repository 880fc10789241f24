"""Running the project in a fresh interpreter, as a server would, with only a chosen environment.

Settings are read once per process, so tests of what the environment selects (production
checks, the cache backend, gunicorn) need a process of their own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.db.backends.base.base import BaseDatabaseWrapper

PROJECT_DIR = Path(__file__).resolve().parent.parent
STRONG_KEY = "k" * 30 + "-production-strength-secret-key-0123456789"
# Variables the settings read: a test sets the ones it wants, none leaks from the caller.
_SETTINGS_VARIABLES = ("DATABASE_URL", "REDIS_URL", "PORT", "WEB_CONCURRENCY")


def clean_environment(**env: str) -> dict[str, str]:
    """This process's environment without any setting of the project's, plus ``env``."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GUNICORN_")) and key not in _SETTINGS_VARIABLES
    }
    environment.update(env)
    return environment


def run_python(module: str, code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a new interpreter with ``DJANGO_SETTINGS_MODULE=module`` and ``env``."""
    return subprocess.run(  # noqa: S603 - a fixed interpreter and fixed code
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        env=clean_environment(DJANGO_SETTINGS_MODULE=module, **env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def database_url(connection: BaseDatabaseWrapper) -> str:
    """A ``DATABASE_URL`` for the database this connection uses (the test database)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user, password = quote(settings["USER"], safe=""), quote(settings["PASSWORD"], safe="")
    return f"postgres://{user}:{password}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
