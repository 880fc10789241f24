"""``config.cache.ResilientRedisCache``: a Redis that is away is a cache miss, never an error.

Against real sockets: a port nothing listens on (refused at once), a socket that accepts and
never answers (the hang a network cut or a frozen server gives), and a real ``redis-server``
stopped and started again (``shared.services``; skipped with a hint without the binary).
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from time import perf_counter

import pytest
from shared.services import RedisServer, free_port

from config import cache as resilient
from config.cache import ResilientRedisCache, is_available

pytestmark = pytest.mark.django_db


_made: list[ResilientRedisCache] = []


@pytest.fixture(autouse=True)
def _fresh_breakers() -> Iterator[None]:
    """Each test starts with no server known to be down (the breakers are per process), and
    leaves no connection open."""
    resilient._breakers.clear()
    yield
    resilient._breakers.clear()
    while _made:
        for pool in _made.pop()._cache._pools.values():  # type: ignore[attr-defined]
            pool.disconnect()


class Clock:
    """``config.cache.monotonic``, moved by the test instead of by sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr("config.cache.monotonic", fake)
    return fake


def _cache(location: str) -> ResilientRedisCache:
    cache = ResilientRedisCache(location, {"KEY_PREFIX": "test"})
    _made.append(cache)
    return cache


@pytest.fixture
def nothing_listens() -> ResilientRedisCache:
    return _cache(f"redis://127.0.0.1:{free_port()}/0")


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    yield server
    server.stop()


def test_every_operation_answers_as_a_miss_when_redis_is_not_there(nothing_listens):
    cache = nothing_listens

    assert cache.get("page", "fallback") == "fallback"
    cache.set("page", "value")
    assert cache.add("page", "value") is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("page") is False
    assert cache.touch("page") is False
    assert cache.delete("page") is False
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    cache.delete_many(["a", "b"])
    cache.clear()
    with pytest.raises(ValueError, match="not found"):
        cache.incr("counter")
    assert cache.get_or_set("page", "computed") == "computed"


def test_a_failure_makes_the_cache_unavailable_for_the_throttles(nothing_listens):
    assert is_available(nothing_listens)  # nothing tried yet

    nothing_listens.get("counter")

    assert not is_available(nothing_listens)
    assert not nothing_listens.ping()


def test_after_a_failure_redis_is_skipped_for_a_few_seconds_then_tried_again(
    nothing_listens, clock, monkeypatch
):
    attempts = []
    client = nothing_listens._cache  # the pool holder RedisCache builds
    real_get_client = client.get_client

    def counted(*args, **kwargs):
        attempts.append(1)
        return real_get_client(*args, **kwargs)

    monkeypatch.setattr(client, "get_client", counted)
    nothing_listens.get("a")

    for _ in range(10):
        nothing_listens.get("a")
        nothing_listens.set("a", 1)
    clock.now += resilient.OUTAGE_SECONDS
    nothing_listens.get("a")

    assert len(attempts) == 2  # the first call, and the first after the pause


def test_a_redis_that_never_answers_costs_one_short_timeout_not_one_per_request():
    silent = socket.socket()  # accepts connections (the kernel does) and never replies
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    cache = _cache(f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
    try:
        started = perf_counter()
        first = cache.get("page", "miss")
        first_took = perf_counter() - started
        started = perf_counter()
        later = [cache.get("page", "miss") for _ in range(50)]
        later_took = perf_counter() - started
    finally:
        silent.close()

    assert first == "miss"
    assert set(later) == {"miss"}
    assert first_took < 1.5  # the half-second read timeout, not the system's minutes
    assert later_took < 0.1  # skipped by the breaker


def test_an_outage_is_logged_once_a_minute_not_once_a_request(nothing_listens, clock, caplog):
    caplog.set_level(logging.WARNING, logger="config.cache")

    for _ in range(5):  # five failed attempts within a minute
        nothing_listens.get("a")
        clock.now += resilient.OUTAGE_SECONDS
    clock.now += resilient.LOG_INTERVAL_SECONDS
    nothing_listens.get("a")

    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2
    assert warnings[0].startswith(f"Redis at {nothing_listens.breaker.location} is unreachable")


def test_aliases_of_one_server_share_what_they_know():
    location = f"redis://127.0.0.1:{free_port()}/0"
    counters, pages = _cache(location), _cache(location)

    counters.get("a")

    assert not pages.is_available()


def test_the_cache_comes_back_by_itself_when_redis_does(redis_server, clock, caplog):
    caplog.set_level(logging.INFO, logger="config.cache")
    cache = _cache(redis_server.url)
    cache.set("page", "cached")
    assert cache.get("page") == "cached"
    assert cache.ping()

    redis_server.stop()
    assert cache.get("page", "miss") == "miss"
    assert not cache.is_available()
    redis_server.start()  # empty: no persistence
    clock.now += resilient.OUTAGE_SECONDS
    cache.set("page", "cached again")

    assert cache.get("page") == "cached again"
    assert cache.is_available()
    assert any("answers again" in r.getMessage() for r in caplog.records)


def test_a_ping_notices_at_once_that_redis_is_back(redis_server):
    cache = _cache(redis_server.url)
    redis_server.stop()
    cache.get("a")
    redis_server.start()

    assert cache.ping()  # while the breaker would still be skipping Redis
    assert cache.is_available()


def test_other_caches_are_always_available_to_the_throttles(settings):
    from django.core.cache import caches

    assert is_available(caches["default"])  # local memory in the unit tests, or real Redis
