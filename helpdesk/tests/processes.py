"""shared.processes bound to this project's folder: Python, or manage.py, in a fresh interpreter."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
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


def migrate_sqlite(path: Path) -> None:
    """``manage.py migrate`` of a new SQLite database at ``path``, with the production settings
    (so it has the database cache's table too); raises with the command's errors if it fails."""
    migrated = manage(
        "migrate",
        "--noinput",
        "-v",
        "0",
        settings_module="config.settings.production",
        **processes.PRODUCTION,
        DATABASE_URL=f"sqlite:///{path}",
    )
    if migrated.returncode != 0:
        raise RuntimeError(f"migrate failed:\n{migrated.stderr}")


def copy_sqlite(source: Path, target: Path) -> str:
    """A copy of the SQLite database ``source`` at ``target``; its ``DATABASE_URL``.

    SQLite's backup API, not a file copy: the settings put every database in WAL mode, and what
    a process committed may still be in the ``-wal`` file beside it.
    """
    with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)
    return f"sqlite:///{target}"
