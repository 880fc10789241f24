"""A production deployment of the helpdesk for the fault tests, and a browser-like visitor.

gunicorn runs the production settings (two sync workers, persistent database connections) on a
database of the test's own, seeded with a staff member, a customer and a ticket. A
:class:`Visitor` keeps its cookies and posts forms with their CSRF token, as a browser does, and
records what every request answered (status 0: the connection dropped without an answer) and
how long it took. gunicorn's output is read by threads from the start, so its pipes never fill.
"""

from __future__ import annotations

import json
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.client import HTTPException
from pathlib import Path
from time import monotonic, perf_counter, sleep
from typing import IO, Any

from shared.processes import PRODUCTION, clean_environment
from shared.servers import running_gunicorn

from tests.processes import PROJECT_DIR, copy_sqlite, run_python

SETTINGS = "config.settings.production"
PASSWORD = "a-long-fault-test-password"  # noqa: S105 - accounts of a throwaway database


def environment(database_url: str, static_root: Path, **extra: str) -> dict[str, str]:
    """Production settings over plain HTTP on 127.0.0.1, two sync workers as deployed."""
    return {
        **PRODUCTION,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_ROOT": str(static_root),
        "DATABASE_URL": database_url,
        "WEB_CONCURRENCY": "2",
        **extra,
    }


SEED = f"""
import django, json; django.setup()
from accounts.models import User
from tickets import services

agent = User.objects.create_user("agent", "agent@example.com", {PASSWORD!r}, is_staff=True)
alice = User.objects.create_user("alice", "alice@example.com", {PASSWORD!r})
# notify=False: the fault tests follow one change's e-mail; the seed's own is not theirs.
ticket = services.open_ticket(
    creator=alice, title="Printer on fire", description="Smoke.", priority="high", notify=False
)
print(json.dumps({{"ticket": ticket.pk}}))
"""


MIGRATE = """
import django; django.setup()
from django.core.management import call_command

call_command("migrate", interactive=False, verbosity=0)
"""


def prepare(env: Mapping[str, str], *, migrate: bool = True) -> dict[str, Any]:
    """Seed the deployment's database, migrating it first in the same process unless it is a
    copy of a migrated one; the seeded ticket's id."""
    code = MIGRATE + SEED if migrate else SEED
    seeded = _succeeded(run_python(SETTINGS, code, **env))
    seed: dict[str, Any] = json.loads(seeded.stdout.splitlines()[-1])
    return seed


@dataclass(frozen=True)
class SeededDatabase:
    """A migrated and seeded SQLite database (``path``), made once per session, and its
    ticket's id. Each test works on a copy of its own (:meth:`copy`)."""

    path: Path
    ticket: int

    def copy(self, folder: Path) -> str:
        """``DATABASE_URL`` of a fresh copy in ``folder``."""
        return copy_sqlite(self.path, folder / "db.sqlite3")


def query(env: Mapping[str, str], code: str) -> Any:
    """Run ``code`` (after ``django.setup()``) in a process of its own; the JSON it prints."""
    result = _succeeded(run_python(SETTINGS, "import django, json; django.setup()\n" + code, **env))
    return json.loads(result.stdout.splitlines()[-1])


def _succeeded(process: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    if process.returncode != 0:
        raise RuntimeError(f"{process.args!r} failed:\n{process.stderr}")
    return process


@dataclass(frozen=True)
class Answer:
    """What one request got: ``status`` 0 when the connection dropped without an answer."""

    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")

    def json(self) -> Any:
        return json.loads(self.body)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 302 is an answer to look at, not to follow


_opener = urllib.request.build_opener(_NoRedirect)


@dataclass
class Visitor:
    """One browser: its own cookies (the session, the CSRF token), sent back on every request.

    Cookies are kept by hand: the production cookies are marked Secure, which a cookie jar
    would not send over this test's plain HTTP.
    """

    address: str
    cookies: dict[str, str] = field(default_factory=dict)
    answers: list[Answer] = field(default_factory=list)

    def get(self, path: str) -> Answer:
        return self._call(path)

    def post(self, path: str, form: Mapping[str, str]) -> Answer:
        """Post ``form`` with the CSRF token, fetching the page first for the cookie if needed."""
        if "csrftoken" not in self.cookies:
            self.get(path if path.endswith("/login/") else "/accounts/login/")
        data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form}
        return self._call(path, urllib.parse.urlencode(data).encode())

    def log_in(self, username: str, password: str = PASSWORD) -> Answer:
        return self.post("/accounts/login/", {"username": username, "password": password})

    def _call(self, path: str, data: bytes | None = None) -> Answer:
        headers = {"Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        request = urllib.request.Request(  # noqa: S310 - http on loopback
            f"{self.address}{path}", data=data, headers=headers
        )
        started = perf_counter()
        try:
            with _opener.open(request, timeout=30) as response:
                answer = Answer(response.status, dict(response.headers), response.read(), 0.0)
                self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
        except urllib.error.HTTPError as error:
            with error:
                answer = Answer(error.code, dict(error.headers), error.read(), 0.0)
                self._keep_cookies(error.headers.get_all("Set-Cookie") or [])
        except (ConnectionError, HTTPException, urllib.error.URLError):
            answer = Answer(0, {}, b"", 0.0)
        answer = Answer(answer.status, answer.headers, answer.body, perf_counter() - started)
        self.answers.append(answer)
        return answer

    def _keep_cookies(self, set_cookies: list[str]) -> None:
        for header in set_cookies:
            name, _, value = header.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()


@dataclass
class Server:
    """A running gunicorn: its address and everything it has printed."""

    address: str
    lines: list[str] = field(default_factory=list)

    def visitor(self) -> Visitor:
        return Visitor(self.address)


def until(check: Any, seconds: float = 20) -> Any:
    """Call ``check`` every tenth of a second until it returns something true (or time is up);
    its last result."""
    deadline = monotonic() + seconds
    while not (result := check()) and monotonic() < deadline:
        sleep(0.1)
    return result


def _read(stream: IO[str], into: list[str]) -> None:
    into.extend(stream)  # until gunicorn exits and the pipe ends


@contextmanager
def serving(env: Mapping[str, str]) -> Iterator[Server]:
    """gunicorn with ``config/gunicorn.conf.py`` and ``env`` on a port of its own."""
    with running_gunicorn(PROJECT_DIR, clean_environment(SETTINGS, **env)) as gunicorn:
        server = Server(gunicorn.address)
        readers = [
            threading.Thread(target=_read, args=(stream, server.lines), daemon=True)
            for stream in (gunicorn.process.stdout, gunicorn.process.stderr)
            if stream is not None
        ]
        for reader in readers:
            reader.start()
        try:
            yield server
        finally:
            gunicorn.process.terminate()
            gunicorn.process.wait(timeout=30)
            for reader in readers:
                reader.join(timeout=10)
