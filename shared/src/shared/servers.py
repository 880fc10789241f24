"""Start a project's production server (gunicorn with its config file) for a test, and call it.

The server binds a port the system picks (``PORT=0``), so tests never collide with each other
or with a developer's server, and the address is read from gunicorn's own log line. Standard
library only; gunicorn must be installed in the interpreter that runs the tests.
"""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

_LISTENING = re.compile(r"Listening at: (http://\S+)")


@dataclass(frozen=True)
class Gunicorn:
    """A running gunicorn: its process and the base URL it listens at (no trailing slash)."""

    process: subprocess.Popen[str]
    address: str

    def stop(self) -> str:
        """Stop the server gracefully and return what it wrote to stdout (the access log)."""
        self.process.terminate()
        stdout, _ = self.process.communicate(timeout=30)
        return stdout


@contextmanager
def running_gunicorn(
    project_dir: Path, environment: Mapping[str, str], config: str = "config/gunicorn.conf.py"
) -> Iterator[Gunicorn]:
    """gunicorn ``-c config`` started in ``project_dir`` with ``environment`` and ``PORT=0``.

    Returns once gunicorn listens: the socket is bound, so requests then wait for the worker to
    boot. Build ``environment`` with :func:`shared.processes.clean_environment`. Raises
    ``RuntimeError`` with gunicorn's output if it stops before listening; the server is always
    stopped on the way out.
    """
    process = subprocess.Popen(  # noqa: S603 - this interpreter's gunicorn, fixed arguments
        [sys.executable, "-m", "gunicorn", "-c", str(project_dir / config)],
        cwd=project_dir,
        env={**environment, "PORT": "0"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None  # noqa: S101 - stderr=PIPE, for the type checker
        address, output = None, []
        while address is None and (line := process.stderr.readline()):
            output.append(line)
            if match := _LISTENING.search(line):
                address = match.group(1)
        if address is None:
            raise RuntimeError("gunicorn stopped before listening:\n" + "".join(output))
        yield Gunicorn(process, address)
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)
        for pipe in (process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()


class Response(NamedTuple):
    """What a test needs from an HTTP answer."""

    status: int
    headers: dict[str, str]
    body: bytes


def http_get(url: str, **headers: str) -> Response:
    """GET ``url`` (a server on loopback) with ``headers``; an error status is an answer too."""
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - http on loopback
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return Response(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Response(error.code, dict(error.headers), error.read())
