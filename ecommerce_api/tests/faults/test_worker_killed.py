"""A gunicorn worker is killed (SIGKILL, as the kernel's out-of-memory killer does) while
customers race for scarce stock.

The killed worker's requests never get an answer (the connection drops); every other request
is answered without a 5xx; gunicorn starts a new worker; and what the database holds
reconciles exactly: no order without its lines, no total that is not the sum of its lines, no
unit of stock lost or sold twice. On SQLite, the default deployment: a transaction of the killed
process is rolled back from the write-ahead log by the next connection.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.faults.deployment import (
    Answer,
    environment,
    prepare,
    reconcile,
    serving,
    wait_until,
)

pytestmark = pytest.mark.faults


def test_killing_a_worker_mid_burst_leaves_no_partial_order_and_no_stock_drift(
    static_root: Path, migrated_sqlite: Callable[..., str]
):
    env = environment(migrated_sqlite(), static_root)
    seed = prepare(env, stock=300)
    answers: list[Answer] = []
    stop = threading.Event()

    def customer(n: int) -> None:
        while not stop.is_set():
            items = [
                {"product": seed["products"][(n + k) % 3], "quantity": 1 + (n + k) % 3}
                for k in range(2)
            ]
            answers.append(
                server.call("POST", "/api/orders/", body={"items": items}, token=seed["tokens"][n])
            )

    with serving(env) as server:
        assert {server.call("GET", "/api/products/").status for _ in range(8)} == {200}
        workers = server.worker_pids()
        customers = [threading.Thread(target=customer, args=(n,)) for n in range(6)]
        for thread in customers:
            thread.start()
        wait_until(lambda: len(answers) >= 6, what="orders under way before the kill")
        os.kill(workers[0], signal.SIGKILL)
        wait_until(
            lambda: len(set(server.worker_pids()) - set(workers)) >= 1,
            what="gunicorn replacing the killed worker",
            seconds=15,
        )
        replaced_at = len(answers)
        wait_until(
            lambda: any(a.status == 201 for a in answers[replaced_at:]),
            what="an order placed after the worker was replaced",
        )
        stop.set()
        for thread in customers:
            thread.join(timeout=30)
        replaced = server.worker_pids()
        after = server.call("GET", "/healthz")

    statuses = [a.status for a in answers]
    report = reconcile(env, seed["stock"])
    assert set(statuses) <= {0, 201, 400, 409}, sorted(set(statuses))
    assert statuses.count(201) > 0
    assert workers[0] not in replaced
    assert len(replaced) == 2
    assert after.status == 200
    assert report["stock_drift"] == {}
    assert report["wrong_totals"] == []
    assert report["without_lines"] == 0
    assert report["orders"] >= statuses.count(201)
    assert "was sent SIGKILL" in "".join(server.lines)
