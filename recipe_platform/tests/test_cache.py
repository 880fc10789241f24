"""Redis is an optimisation: while it is unreachable the cache answers misses, quickly, and
logs it once (config/cache.py; tests/faults/ stop and start a real Redis under gunicorn). That
every process shares one cache is the shared contract's (tests/test_contract.py).
"""

import logging
import os
import socket
import time
from unittest import mock

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError

from config import cache as resilient

REDIS_URL = os.environ.get("REDIS_URL", "")
needs_redis = pytest.mark.skipif(
    not REDIS_URL, reason="REDIS_URL is not set (e.g. REDIS_URL=redis://127.0.0.1:6379/1)"
)


@pytest.fixture
def unreachable():
    """A ResilientRedisCache on a loopback port where nothing listens, with a fresh breaker."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    location = f"redis://127.0.0.1:{port}/0"
    resilient._breakers.pop(location, None)
    yield resilient.ResilientRedisCache(location, {})
    resilient._breakers.pop(location, None)


def test_an_unreachable_redis_reads_as_misses_and_skips_writes(unreachable):
    assert unreachable.get("page", "default") == "default"
    assert unreachable.get_many(["a", "b"]) == {}
    assert unreachable.add("a", 1) is False
    assert unreachable.has_key("a") is False
    assert unreachable.set("a", 1) is None
    assert unreachable.set_many({"a": 1, "b": 2}) == ["a", "b"]  # not stored, as Django says
    assert unreachable.touch("a") is False
    assert unreachable.delete("a") is False
    assert unreachable.delete_many(["a"]) is None
    assert unreachable.clear() is None
    with pytest.raises(ValueError, match="unreachable"):
        unreachable.incr("a")


def test_redis_is_skipped_for_a_few_seconds_after_a_failure(unreachable):
    with mock.patch.object(RedisCache, "get", side_effect=RedisConnectionError("down")) as get:
        unreachable.get("a")
        unreachable.get("b")
        assert get.call_count == 1  # the second read did not wait for Redis
        assert unreachable.is_available() is False

        later = time.monotonic() + resilient.OUTAGE_SECONDS
        with mock.patch("config.cache.monotonic", return_value=later):
            unreachable.get("c")
        assert get.call_count == 2  # tried again


def test_a_redis_that_answers_again_is_used_again(unreachable, caplog):
    unreachable.get("a")
    later = time.monotonic() + resilient.OUTAGE_SECONDS

    with (
        mock.patch("config.cache.monotonic", return_value=later),
        mock.patch.object(RedisCache, "get", return_value="cached"),
        caplog.at_level(logging.WARNING, logger="config.cache"),
    ):
        assert unreachable.get("a") == "cached"
        assert unreachable.is_available() is True

    assert "answers again" in caplog.text


def test_an_outage_is_logged_once_a_minute_not_per_request(unreachable, caplog):
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        for offset in (0, 6, 12, 59):
            moment = time.monotonic() + offset
            with mock.patch("config.cache.monotonic", return_value=moment):
                unreachable.get("a")
        with mock.patch("config.cache.monotonic", return_value=time.monotonic() + 65):
            unreachable.get("a")

    outages = [record for record in caplog.records if "is unreachable" in record.message]
    assert len(outages) == 2


def test_an_unreachable_redis_costs_a_request_a_fraction_of_a_second(unreachable):
    started = time.monotonic()
    unreachable.get("a")
    unreachable.ping()

    assert time.monotonic() - started < 1


def test_ping_asks_redis_even_while_it_is_skipped(unreachable):
    unreachable.get("a")

    with mock.patch.object(RedisCache, "get", return_value=None):  # unused by ping
        assert unreachable.ping() is False


def test_the_connection_timeouts_are_short_unless_the_settings_say_otherwise():
    default = resilient.ResilientRedisCache("redis://127.0.0.1:1/0", {})
    chosen = resilient.ResilientRedisCache(
        "redis://127.0.0.1:1/0", {"OPTIONS": {"socket_timeout": 2}}
    )

    # RedisCache keeps OPTIONS (what it hands redis-py's pool) in an attribute of its own.
    assert vars(default)["_options"]["socket_connect_timeout"] == resilient.SOCKET_TIMEOUT
    assert vars(default)["_options"]["socket_timeout"] == resilient.SOCKET_TIMEOUT
    assert vars(chosen)["_options"]["socket_timeout"] == 2


@needs_redis
def test_a_reachable_redis_answers_ping():
    redis_cache = caches["default"]

    assert isinstance(redis_cache, resilient.ResilientRedisCache)
    assert redis_cache.ping() is True
