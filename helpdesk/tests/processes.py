"""shared.processes bound to this project's folder: Python in a fresh interpreter."""

from __future__ import annotations

import subprocess
from pathlib import Path

from shared import processes

PROJECT_DIR = Path(__file__).resolve().parent.parent


def run_python(settings_module: str, code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return processes.run_python(PROJECT_DIR, settings_module, code, **env)
