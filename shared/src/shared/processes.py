"""Run a project's Python in a fresh interpreter with chosen settings, as a server would start.

Settings are read once per process, so the only honest test of "what does production do with
these environment variables" is a new process. Every variable the projects' settings or
gunicorn configs read (``DJANGO_*``, ``GUNICORN_*``, the database and cache URLs, ``PORT``,
``WEB_CONCURRENCY``) is dropped from the caller's environment first, so each test states
exactly what it sets. Standard library only: the helpers never import a project's code.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

# Long and varied enough for `check --deploy` (security.W009), and plainly not a real one.
STRONG_KEY = "k" * 30 + "-production-strength-secret-key-0123456789"
# The least the production settings need to start: a strong key and one allowed host.
PRODUCTION: Mapping[str, str] = MappingProxyType(
    {"DJANGO_SECRET_KEY": STRONG_KEY, "DJANGO_ALLOWED_HOSTS": "example.com"}
)
DROPPED_PREFIXES = ("DJANGO_", "GUNICORN_")
DROPPED = ("DATABASE_URL", "REDIS_URL", "PORT", "WEB_CONCURRENCY")


def clean_environment(settings_module: str, **env: str) -> dict[str, str]:
    """This process's environment minus any project setting, plus the settings module, ``env``."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(DROPPED_PREFIXES) and key not in DROPPED
    }
    environment.update(DJANGO_SETTINGS_MODULE=settings_module, **env)
    return environment


def run_python(
    project_dir: Path, settings_module: str, code: str, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run ``code`` with this interpreter in ``project_dir``, under ``settings_module`` and ``env``.

    Never raises on a failing exit: tests assert on ``returncode`` and ``stderr`` themselves.
    """
    return subprocess.run(  # noqa: S603 - this interpreter and code the test wrote
        [sys.executable, "-c", code],
        cwd=project_dir,
        env=clean_environment(settings_module, **env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def collect_static(project_dir: Path, static_root: Path, **env: str) -> None:
    """Run ``collectstatic`` into ``static_root`` under the production settings, as a deploy does.

    ``env`` adds to (or overrides) :data:`PRODUCTION`. Raises ``RuntimeError`` with the
    command's error output when it fails, so the fixture calling it fails with the reason.
    """
    result = run_python(
        project_dir,
        "config.settings.production",
        "from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'collectstatic', '--noinput', '-v0'])",
        **{**PRODUCTION, "DJANGO_STATIC_ROOT": str(static_root), **env},
    )
    if result.returncode != 0:
        raise RuntimeError(f"collectstatic failed:\n{result.stderr}")
