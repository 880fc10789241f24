"""Run Python in a fresh interpreter with chosen settings, as a server process would start.

Settings are read once per process, so the only honest test of "what does production do with
these environment variables" is a new process. Every DJANGO_* variable and the database and
cache URLs of the test run are dropped first, so each test states exactly what it sets.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
STRONG_KEY = "k" * 30 + "-production-strength-secret-key-0123456789"
PRODUCTION = {"DJANGO_SECRET_KEY": STRONG_KEY, "DJANGO_ALLOWED_HOSTS": "example.com"}
DROPPED = ("DATABASE_URL", "REDIS_URL")


def clean_environment(settings_module: str, **env: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in DROPPED
    }
    environment.update(DJANGO_SETTINGS_MODULE=settings_module, **env)
    return environment


def run_python(settings_module: str, code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - a fixed interpreter and fixed code
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        env=clean_environment(settings_module, **env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
