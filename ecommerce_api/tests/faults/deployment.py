"""A production deployment of the shop for the fault tests: gunicorn with the production
settings on a database of the test's own, seeded with customers and scarce stock, and an HTTP
client that records what every request answered (or that the connection dropped).

gunicorn's output is read by threads from the start, so a burst of requests never fills the
pipe (and blocks the workers writing their access log), and the test can read it afterwards.
"""

from __future__ import annotations

import json
import subprocess
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.client import HTTPException
from pathlib import Path
from time import monotonic, perf_counter, sleep
from typing import IO, Any

from shared.processes import PRODUCTION, clean_environment
from shared.servers import running_gunicorn

from tests.processes import PROJECT_DIR, run_python

SETTINGS = "config.settings.production"


def environment(database_url: str, static_root: Path, **extra: str) -> dict[str, str]:
    """Production settings over plain HTTP on 127.0.0.1, throttles out of the way (the
    bursts are one client each), two sync workers as deployed."""
    return {
        **PRODUCTION,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_ROOT": str(static_root),
        "DATABASE_URL": database_url,
        "DJANGO_ORDER_THROTTLE_RATE": "100000/minute",
        "DJANGO_AUTH_THROTTLE_RATE": "100000/minute",
        "WEB_CONCURRENCY": "2",
        **extra,
    }


SEED = """
import django, json; django.setup()
from catalog.models import Category, Product
from accounts.models import User
from django.contrib.auth.hashers import make_password
from rest_framework.authtoken.models import Token

category = Category.objects.create(name="Kettles", slug="kettles")
products = [
    Product.objects.create(
        category=category, name=f"Kettle {n}", slug=f"kettle-{n}", price=f"{20 + n}.50", stock=STOCK
    ).pk
    for n in range(3)
]
tokens = []
# Hashed once for all six: the production hasher spends about half a second on each hash.
password = make_password("a-long-demo-password")
for n in range(6):
    customer = User.objects.create(username=f"customer-{n}", password=password)
    tokens.append(Token.objects.create(user=customer).key)
print(json.dumps({"products": products, "tokens": tokens, "password": "a-long-demo-password",
                  "usernames": [f"customer-{n}" for n in range(6)],
                  "stock": dict(Product.objects.values_list("pk", "stock"))}))
"""

RECONCILE = """
import django, json; django.setup()
from decimal import Decimal
from django.db.models import Sum
from catalog.models import Product
from orders.models import Order, OrderLine

initial = {int(pk): stock for pk, stock in json.loads(INITIAL).items()}
sold = dict(
    OrderLine.objects.exclude(order__status=Order.Status.CANCELLED)
    .values("product").annotate(units=Sum("quantity")).values_list("product", "units")
)
print(json.dumps({
    "orders": Order.objects.count(),
    "stock_drift": {
        pk: [initial[pk], stock, sold.get(pk, 0)]
        for pk, stock in Product.objects.values_list("pk", "stock")
        if stock + sold.get(pk, 0) != initial[pk]
    },
    "wrong_totals": [
        order.pk for order in Order.objects.prefetch_related("lines")
        if order.total != sum((line.line_total for line in order.lines.all()), Decimal(0))
    ],
    "without_lines": Order.objects.filter(lines__isnull=True).count(),
}))
"""


def _succeeded(
    process: subprocess.CompletedProcess[str],
) -> subprocess.CompletedProcess[str]:
    if process.returncode != 0:
        raise RuntimeError(f"{process.args!r} failed:\n{process.stderr}")
    return process


def wait_until(condition: Callable[[], bool], *, what: str, seconds: float = 30) -> None:
    """Poll ``condition`` until it holds, instead of sleeping for a guessed time; after
    ``seconds`` the test fails saying ``what`` it waited for."""
    deadline = monotonic() + seconds
    while not condition():
        if monotonic() > deadline:
            raise AssertionError(f"waited {seconds:.0f} s for {what}")
        sleep(0.05)


def prepare(env: Mapping[str, str], *, stock: int = 40) -> dict[str, Any]:
    """Seed the deployment's migrated database with three products of ``stock`` units and six
    customers; what the seed made (ids, tokens, the stock)."""
    seeded = _succeeded(run_python(SETTINGS, SEED.replace("STOCK", str(stock)), **env))
    seed: dict[str, Any] = json.loads(seeded.stdout)
    return seed


def reconcile(env: Mapping[str, str], initial_stock: Mapping[str, int]) -> dict[str, Any]:
    """Orders against stock: ``stock_drift`` (stock + units sold != initial), ``wrong_totals``,
    ``without_lines`` must all be empty for no order to have been half-written."""
    code = RECONCILE.replace("INITIAL", repr(json.dumps(initial_stock)))
    result = _succeeded(run_python(SETTINGS, code, **env))
    report: dict[str, Any] = json.loads(result.stdout)
    return report


@dataclass(frozen=True)
class Answer:
    """What one request got: ``status`` 0 when the connection dropped without an answer."""

    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Server:
    """A running gunicorn: its address, its master's pid, and everything it has printed."""

    address: str
    pid: int
    lines: list[str] = field(default_factory=list)

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def call(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        token: str | None = None,
        accept: str = "application/json",
        **headers: str,
    ) -> Answer:
        headers = {"Accept": accept, **headers}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Token {token}"
        request = urllib.request.Request(  # noqa: S310 - http on loopback
            f"{self.address}{path}", data=data, headers=headers, method=method
        )
        started = perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return Answer(
                    response.status,
                    dict(response.headers),
                    response.read(),
                    perf_counter() - started,
                )
        except urllib.error.HTTPError as error:
            with error:
                return Answer(
                    error.code, dict(error.headers), error.read(), perf_counter() - started
                )
        except (ConnectionError, HTTPException, urllib.error.URLError):
            return Answer(0, {}, b"", perf_counter() - started)


def _read(stream: IO[str], into: list[str]) -> None:
    into.extend(stream)  # until gunicorn exits and the pipe ends


@contextmanager
def serving(env: Mapping[str, str]) -> Iterator[Server]:
    """gunicorn with ``config/gunicorn.conf.py`` and ``env`` on a port of its own."""
    with running_gunicorn(PROJECT_DIR, clean_environment(SETTINGS, **env)) as gunicorn:
        server = Server(gunicorn.address, gunicorn.process.pid)
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
