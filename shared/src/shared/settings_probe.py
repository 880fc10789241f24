"""Read a project's settings under many environments in one fresh interpreter.

Settings are read once per process, so every "what does production make of these variables"
test used to start an interpreter of its own: half a second each, dozens per suite. The
projects' settings modules are plain functions of the environment (django-environ reads
``os.environ`` when asked), so one process can import them again and again: for each case it
drops the settings package from ``sys.modules``, puts the case's environment in place, imports
the module, and records the values asked for, or the error that refused the import (a refusal
is an exception raised while the module runs, exactly what a server's start would meet).

Values are read as the module sets them, before ``django.conf.settings`` adds the script
prefix to a relative ``STATIC_URL`` or ``MEDIA_URL``. What needs Django set up (``check
--deploy``, a request through the middleware) still needs a process of its own:
:func:`shared.processes.run_python`.

Run as ``python -m shared.settings_probe`` by :func:`read_settings`, which is all a test calls.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shared.processes import clean_environment


@dataclass(frozen=True)
class Case:
    """One import of ``module`` under ``env`` (added to a clean environment), reading ``names``."""

    module: str
    env: Mapping[str, str] = field(default_factory=dict)
    names: Sequence[str] = ()


@dataclass(frozen=True)
class Outcome:
    """The values read (JSON-shaped: tuples are lists, other objects their ``str``), or the
    error the import raised, as ``"ExceptionName: message"``."""

    values: Mapping[str, Any] | None
    error: str | None

    def __getitem__(self, name: str) -> Any:
        if self.values is None:
            raise AssertionError(f"the settings refused to load: {self.error}")
        return self.values[name]


def read_settings(project_dir: Path, cases: Sequence[Case]) -> list[Outcome]:
    """Each case's outcome, in order, from one interpreter started in ``project_dir``.

    The caller's project variables are dropped first (:func:`~shared.processes.clean_environment`),
    so a case states everything it sets. Raises ``RuntimeError`` when the probe itself fails.
    """
    request = [{"module": c.module, "env": dict(c.env), "names": list(c.names)} for c in cases]
    environment = clean_environment("")
    del environment["DJANGO_SETTINGS_MODULE"]  # each case names its module
    result = subprocess.run(
        [sys.executable, "-m", "shared.settings_probe"],
        cwd=project_dir,
        env=environment,
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"the settings probe failed:\n{result.stderr}")
    return [Outcome(item.get("values"), item.get("error")) for item in json.loads(result.stdout)]


def _probe(request: list[dict[str, Any]]) -> list[dict[str, Any]]:
    base_environment = dict(os.environ)
    outcomes: list[dict[str, Any]] = []
    for case in request:
        package = case["module"].rpartition(".")[0] or case["module"]
        for name in [m for m in sys.modules if m == package or m.startswith(f"{package}.")]:
            del sys.modules[name]
        os.environ.clear()
        os.environ.update(base_environment)
        os.environ.update(case["env"])
        try:
            module = importlib.import_module(case["module"])
        except Exception as error:
            outcomes.append({"error": f"{type(error).__name__}: {error}"})
            continue
        values = {name: getattr(module, name, None) for name in case["names"]}
        outcomes.append({"values": json.loads(json.dumps(values, default=str))})
    return outcomes


def main() -> None:
    sys.path.insert(0, os.getcwd())  # the project's folder, as manage.py would have it
    json.dump(_probe(json.load(sys.stdin)), sys.stdout)


if __name__ == "__main__":
    main()
