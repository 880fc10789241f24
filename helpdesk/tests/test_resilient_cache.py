"""``config.cache.ResilientRedisCache``: with Redis away, a read is a miss and a write is
skipped, quickly and quietly, and the cache resumes by itself when Redis is back.

"Away" is a port on 127.0.0.1 where nothing listens, or a real ``redis-server`` of the test's
own (``shared.services.RedisServer``) killed and started again; the latter is skipped with an
install hint where redis-server is missing. Under gunicorn: ``tests/faults/``.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from unittest import mock

import pytest
from shared.services import RedisServer, free_port

from config import cache as resilient
from config.cache import OUTAGE_SECONDS, ResilientRedisCache


@pytest.fixture(autouse=True)
def _fresh_breakers():
    """Each test starts with no knowledge of any Redis (breakers live for the process)."""
    resilient._breakers.clear()
    yield
    resilient._breakers.clear()


_made: list[Any] = []  # ResilientRedisCache, whose client (_cache) django-stubs leave untyped


def _cache(location: str, **options):
    cache = ResilientRedisCache(location, {"KEY_PREFIX": "test", "OPTIONS": options})
    _made.append(cache)
    return cache


@pytest.fixture(autouse=True)
def _close_connections():
    """Close the test's Redis connections, so no socket is left for the garbage collector."""
    yield
    while _made:
        for pool in _made.pop()._cache._pools.values():
            pool.disconnect()


@pytest.fixture
def down():
    """A cache whose Redis is not there: nothing listens on its port."""
    return _cache(f"redis://127.0.0.1:{free_port()}/0")


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


def _later(monkeypatch, seconds):
    """Move this module's clock ``seconds`` forward (the breaker reads time.monotonic)."""
    now = time.monotonic()
    monkeypatch.setattr(resilient, "monotonic", lambda: now + seconds)


def test_an_unreachable_redis_reads_as_a_miss_and_writes_are_skipped(down):
    assert down.get("board", "default") == "default"
    assert down.get_many(["a", "b"]) == {}
    assert down.has_key("board") is False
    assert down.add("board", 1) is False
    assert down.touch("board") is False
    assert down.delete("board") is False
    assert down.set("board", "html", 10) is None
    assert down.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert down.delete_many(["a"]) is None
    assert down.clear() is None
    with pytest.raises(ValueError, match="Redis is unreachable"):
        down.incr("counter")


def test_after_a_failure_redis_is_skipped_for_a_few_seconds_then_tried_again(down, monkeypatch):
    down.get("board")

    assert down.is_available() is False
    with mock.patch.object(type(down._cache), "get") as redis_get:
        assert down.get("board") is None
        redis_get.assert_not_called()  # the breaker is open: no connection, no timeout

        _later(monkeypatch, OUTAGE_SECONDS + 0.1)
        down.get("board")
        redis_get.assert_called_once()


def test_an_outage_is_logged_once_not_per_request(down, caplog):
    for _ in range(20):
        down.get("board")
        down.set("board", "html")

    warnings = [r for r in caplog.records if r.name == "config.cache"]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    assert warnings[0].getMessage().startswith(f"Redis at {down.breaker.location} is unreachable")


def test_an_unreachable_redis_costs_at_most_the_short_timeouts(down):
    started = time.monotonic()
    down.ping()
    down.get("board")

    assert time.monotonic() - started < 1
    assert down._cache._pool_options["socket_connect_timeout"] == 0.25
    assert down._cache._pool_options["socket_timeout"] == 0.25


def test_the_settings_may_choose_other_timeouts():
    cache = _cache("redis://127.0.0.1:6379/0", socket_timeout=2)

    assert cache._cache._pool_options["socket_timeout"] == 2
    assert cache._cache._pool_options["socket_connect_timeout"] == 0.25


def test_a_redis_that_stops_and_comes_back_is_used_again_without_a_restart(
    redis_server, monkeypatch, caplog
):
    caplog.set_level(logging.INFO, logger="config.cache")
    cache = _cache(redis_server.url)
    cache.set("board", "cached html", 60)
    assert cache.get("board") == "cached html"

    redis_server.stop()
    assert cache.get("board", "rebuilt") == "rebuilt"
    cache.set("board", "not stored", 60)
    assert cache.is_available() is False

    redis_server.start()  # the same port, empty, as after a restart without persistence
    _later(monkeypatch, OUTAGE_SECONDS + 0.1)
    cache.set("board", "cached again", 60)

    assert cache.get("board") == "cached again"
    assert cache.is_available() is True
    assert [r.getMessage().split(",")[0] for r in caplog.records if r.levelno == logging.INFO] == [
        f"Redis at {redis_server.url} answers again"
    ]


def test_a_ping_reaches_redis_even_while_the_breaker_is_open(redis_server):
    cache = _cache(redis_server.url)
    redis_server.stop()
    assert cache.ping() is False

    redis_server.start()

    assert cache.ping() is True
    assert cache.is_available() is True  # closed at once, no waiting for the breaker
