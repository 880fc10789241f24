"""shared.processes bound to this project's folder: Python in a fresh interpreter, and the
migrated database the tests of such processes start from."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from shared import processes

PROJECT_DIR = Path(__file__).resolve().parent.parent


def run_python(settings_module: str, code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return processes.run_python(PROJECT_DIR, settings_module, code, **env)


def copy_sqlite_database(source: Path, target: Path) -> None:
    """Copy the SQLite database file ``source`` (with its write-ahead log, if a process left
    one) to ``target``, a file no process has open: a copy is a fraction of a ``migrate``."""
    for suffix in ("", "-wal"):
        if (log_or_file := source.with_name(source.name + suffix)).exists():
            shutil.copyfile(log_or_file, target.with_name(target.name + suffix))
