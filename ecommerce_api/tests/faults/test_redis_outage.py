"""Redis stops under a production server and comes back; the server is never restarted.

A real ``redis-server`` of the test's own (``shared.services.RedisServer``) holds the cache and
the task queue of a gunicorn running the production settings. While it is down the catalogue
and the customer's orders are served (uncached), placing an order and getting a token are
refused with 503 and ``Retry-After`` (the throttles cannot count), and ``/healthz`` stays 200
saying what is missing. Once it is back, everything works again and the product list is
cached again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from time import monotonic, sleep

import pytest
from redis import Redis
from shared.services import RedisServer

from tests.faults.deployment import Answer, Server, environment, prepare, serving

pytestmark = pytest.mark.faults


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    yield server
    server.stop()


def _cached_pages(redis_server: RedisServer) -> list[bytes]:
    with Redis.from_url(redis_server.url) as redis:
        return list(redis.scan_iter(match="ecommerce_api:catalogue:*"))


def _until(check: Callable[[], tuple[Answer, bool]], seconds: float = 15) -> Answer:
    """Ask again (every tenth of a second) until ``check`` passes; its last answer."""
    deadline = monotonic() + seconds
    while True:
        answer, ok = check()
        if ok or monotonic() > deadline:
            return answer
        sleep(0.1)


def _place_order(server: Server, seed, n: int = 0) -> Answer:
    items = [{"product": seed["products"][n % 3], "quantity": 1}]
    return server.call("POST", "/api/orders/", body={"items": items}, token=seed["tokens"][0])


def test_while_redis_is_down_the_shop_browses_uncached_and_refuses_throttled_writes(
    redis_server, static_root: Path, migrated_sqlite: Callable[..., str]
):
    env = environment(
        migrated_sqlite(REDIS_URL=redis_server.url), static_root, REDIS_URL=redis_server.url
    )
    seed = prepare(env)
    credentials = {"username": seed["usernames"][0], "password": seed["password"]}
    with serving(env) as server:
        first = _until(
            lambda: (server.call("GET", "/api/products/"), bool(_cached_pages(redis_server)))
        )
        assert first.status == 200
        assert _cached_pages(redis_server)

        redis_server.stop()
        browsing = [server.call("GET", f"/api/products/?page_size={n}") for n in range(1, 9)]
        product = server.call("GET", f"/api/products/{seed['products'][0]}/")
        my_orders = server.call("GET", "/api/orders/", token=seed["tokens"][0])
        order = _place_order(server, seed)
        token = server.call("POST", "/api/auth/token/", body=credentials)
        health = server.call("GET", "/healthz")

        assert {answer.status for answer in browsing} == {200}
        assert max(answer.seconds for answer in browsing) < 2.0  # no wait for Redis
        assert product.status == 200
        assert my_orders.status == 200
        assert order.status == 503
        assert order.json()["code"] == "service_unavailable"
        assert order.headers["Retry-After"] == "30"
        assert token.status == 200  # logins keep working; the lockout still counts
        assert health.status == 200
        assert health.json()["status"] == "degraded"
        assert health.json()["database"] == "ok"
        assert health.json()["cache"] == "unavailable"
        assert health.json()["queue"]["status"] == "unavailable"

        redis_server.start()  # empty, as a replaced cache node would be
        healthy = _until(lambda: (a := server.call("GET", "/healthz"), a.json()["status"] == "ok"))
        # Each worker tries Redis again within seconds of its last failure.
        placed = _until(lambda: (a := _place_order(server, seed, 1), a.status == 201))
        token = _until(
            lambda: (
                a := server.call("POST", "/api/auth/token/", body=credentials),
                a.status == 200,
            )
        )
        cached = _until(
            lambda: (
                server.call("GET", "/api/products/?page_size=3"),
                bool(_cached_pages(redis_server)),
            )
        )

        assert healthy.json() == {
            "status": "ok",
            "database": "ok",
            "cache": "ok",
            "queue": {"backend": "rq", "status": "ok", "depth": 0, "oldest_waiting_seconds": None},
        }
        assert placed.status == 201
        assert token.status == 200
        assert token.json()["token"] == seed["tokens"][0]
        assert cached.status == 200
        assert _cached_pages(redis_server)  # caching resumed

    access_log = "".join(server.lines)
    assert '" 500 ' not in access_log
    assert "Redis at redis://127.0.0.1:" in access_log  # the outage was logged
