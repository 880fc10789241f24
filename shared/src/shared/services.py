"""Real Redis and PostgreSQL servers a test can start, stop and bring back, on 127.0.0.1 only.

Fault tests need the real thing: a Redis that refuses connections, a PostgreSQL that restarts
while gunicorn holds persistent connections to it. Mocks cannot show how redis-py, psycopg and
Django's connection handling behave then. Each server here is the test's own: a port the system
picks, a data folder under the test's temporary directory, nothing shared with the machine's
PostgreSQL or Redis (which CI's second pass is using at the same moment).

Where the server binaries are missing, :func:`require_binary` skips the test with an install
hint, or fails it under ``CI=true``, like the browser tests. Standard library only.
"""

from __future__ import annotations

import getpass
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

HOST = "127.0.0.1"
HINTS = {
    "redis-server": "sudo apt-get install redis-server",
    "initdb": "sudo apt-get install postgresql",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def find_binary(name: str) -> str | None:
    """The binary on PATH, or PostgreSQL's from Debian's versioned folder."""
    if found := shutil.which(name):
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def require_binary(name: str) -> str:
    if path := find_binary(name):
        return path
    message = f"no {name} found: install it ({HINTS.get(name, 'see the README')})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {message}.", pytrace=False)
    pytest.skip(message)


def _wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex((HOST, port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {HOST}:{port} after {timeout}s")


class RedisServer:
    """``redis-server`` without persistence on a port of its own; ``stop()``/``start()`` keep it."""

    def __init__(self) -> None:
        self.binary = require_binary("redis-server")
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def start(self) -> None:
        if self.process is None:
            # No persistence: a restarted server is empty, as after a cache node is replaced.
            arguments = ["--bind", HOST, "--port", str(self.port), "--save", ""]
            arguments += ["--appendonly", "no"]
            self.process = subprocess.Popen(  # noqa: S603 - the system's redis-server, fixed args
                [self.binary, *arguments],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            _wait_for_port(self.port)

    def stop(self) -> None:
        """Kill the server at once, as a crash or a network cut would take it away."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


class PostgresCluster:
    """A throwaway PostgreSQL cluster made with ``initdb``, trust auth on 127.0.0.1 only.

    PostgreSQL refuses to run as root, so as root (CI) the cluster belongs to the ``postgres``
    system user and every command runs through ``runuser``; its folder is a fresh one under the
    system's temporary directory, which that user can reach (pytest's ``tmp_path`` is private to
    the user running the tests). Use :func:`throwaway_postgres`, which always cleans up.
    """

    def __init__(self) -> None:
        self.initdb = require_binary("initdb")
        self.bin = Path(os.path.realpath(self.initdb)).parent
        self.folder = Path(tempfile.mkdtemp(prefix="throwaway-postgres-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self._as_postgres = os.geteuid() == 0
        self.user = "postgres" if self._as_postgres else getpass.getuser()
        if self._as_postgres:
            shutil.chown(self.folder, "postgres")
        self._run(
            self.initdb,
            "-D",
            str(self.data),
            "-U",
            self.user,
            "--auth=trust",
            "--no-sync",
        )

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self._as_postgres else []
        subprocess.run(  # noqa: S603 - PostgreSQL's own tools, fixed arguments
            [*prefix, *command], check=True, capture_output=True
        )

    def url(self, database: str = "postgres") -> str:
        return f"postgres://{self.user}@{HOST}:{self.port}/{database}"

    def start(self) -> None:
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "server.log"),
            "-o",
            f"-c listen_addresses={HOST} -p {self.port} -k {self.folder} -c fsync=off",
            "-w",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        """``fast`` ends every session as a restart does; ``immediate`` is a crash."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def create_database(self, name: str) -> str:
        port = str(self.port)
        self._run(str(self.bin / "createdb"), "-h", HOST, "-p", port, "-U", self.user, name)
        return self.url(name)


@contextmanager
def throwaway_postgres() -> Iterator[PostgresCluster]:
    """A started :class:`PostgresCluster`, stopped and deleted on the way out whatever happens."""
    cluster = PostgresCluster()
    try:
        cluster.start()
        yield cluster
    finally:
        with suppress(subprocess.CalledProcessError):
            cluster.stop(mode="immediate")
        shutil.rmtree(cluster.folder, ignore_errors=True)
