"""shared.processes bound to this project's folder: Python, or manage.py, in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from shared import processes

PROJECT_DIR = Path(__file__).resolve().parent.parent


def run_python(settings_module: str, code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return processes.run_python(PROJECT_DIR, settings_module, code, **env)


def manage(*arguments: str, settings_module: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``python manage.py <arguments>`` in this project's folder, as a server or cron runs it:
    a process of its own, with only ``env`` on top of a clean environment. Never raises on a
    failing exit: assert on ``returncode``."""
    return subprocess.run(  # noqa: S603 - this interpreter, this project's manage.py
        [sys.executable, "manage.py", *arguments],
        cwd=PROJECT_DIR,
        env=processes.clean_environment(settings_module, **env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
