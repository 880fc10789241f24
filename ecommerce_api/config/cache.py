"""Redis as an optimisation, never a dependency: the cache backend used whenever ``REDIS_URL`` is.

Django's ``RedisCache`` raises ``redis.exceptions.ConnectionError`` from every ``get`` and
``set`` while Redis is down, so the product list (which reads its pages through the cache) and
every throttled endpoint answered 500, and a Redis that stops answering altogether made every
request wait for the operating system's TCP timeout. :class:`ResilientRedisCache` changes that:

- a read that cannot reach Redis answers a miss (the default), a write or delete is skipped;
- connecting and each reply wait at most :data:`SOCKET_TIMEOUT` seconds;
- after a failure a small circuit breaker skips Redis for :data:`OUTAGE_SECONDS`, so an
  outage costs one timeout per worker process every few seconds, not one per request; the
  first call after that tries again, so the cache comes back by itself when Redis does;
- an outage is logged as a WARNING at most once every :data:`LOG_INTERVAL_SECONDS` per
  process, and the recovery once.

What must not run without Redis asks :meth:`ResilientRedisCache.is_available` (no I/O: "did
the last attempt fail?"): the throttles refuse rather than count nothing (config/throttles.py).
``/healthz`` asks :meth:`ResilientRedisCache.ping`, a real round trip.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from time import monotonic
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: Seconds to connect to Redis, and to wait for each reply, before calling it unavailable:
#: far above a healthy reply (well under a millisecond), short enough not to hold a request.
SOCKET_TIMEOUT = 0.5
#: Seconds Redis is skipped after a failure before the next attempt.
OUTAGE_SECONDS = 5.0
#: A continuing outage is logged again after this many seconds.
LOG_INTERVAL_SECONDS = 60.0

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


@dataclass
class CircuitBreaker:
    """The state of one Redis server (its ``LOCATION``) in this process, shared by every cache
    alias and thread that uses it: open (skip Redis) until ``open_until``."""

    location: str
    open_until: float = 0.0
    down_since: float | None = None
    logged_at: float | None = field(default=None, repr=False)

    def is_open(self) -> bool:
        return monotonic() < self.open_until

    def trip(self, error: Exception) -> None:
        now = monotonic()
        self.open_until = now + OUTAGE_SECONDS
        if self.down_since is None:
            self.down_since = now
        if self.logged_at is None or now - self.logged_at >= LOG_INTERVAL_SECONDS:
            self.logged_at = now
            logger.warning(
                "Redis at %s is unreachable (%s): the cache is bypassed, and tried again "
                "every %g seconds.",
                self.location,
                error,
                OUTAGE_SECONDS,
            )

    def record_success(self) -> None:
        if self.down_since is not None:
            logger.info(
                "Redis at %s answers again, after %.0f seconds.",
                self.location,
                monotonic() - self.down_since,
            )
            self.down_since = self.logged_at = None
            self.open_until = 0.0


_breakers: dict[str, CircuitBreaker] = {}


def breaker_for(location: str) -> CircuitBreaker:
    """The process's breaker for ``location``: one per server, whichever alias or thread asks
    (Django makes a cache object per alias and per thread)."""
    return _breakers.setdefault(location, CircuitBreaker(location))


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, answering a miss instead of raising while Redis is unreachable."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        # Short timeouts unless the settings say otherwise: RedisCache passes OPTIONS on to
        # redis-py's connection pool.
        options = {
            "socket_connect_timeout": SOCKET_TIMEOUT,
            "socket_timeout": SOCKET_TIMEOUT,
            **params.get("OPTIONS", {}),
        }
        super().__init__(server, {**params, "OPTIONS": options})
        self.breaker = breaker_for(server)

    def is_available(self) -> bool:
        """False while the breaker is open, i.e. the last attempt to reach Redis failed within
        :data:`OUTAGE_SECONDS`; no I/O. Check it after the cache calls that must have worked."""
        return not self.breaker.is_open()

    def ping(self) -> bool:
        """A real round trip (for ``/healthz``), made even while the breaker is open, so a
        Redis that is back closes it at once."""
        try:
            # RedisCache's client (a redis.Redis on its pool), which django-stubs leave untyped.
            self._cache.get_client().ping()  # type: ignore[attr-defined]
        except UNREACHABLE as error:
            self.breaker.trip(error)
            return False
        self.breaker.record_success()
        return True

    def _call(self, operation: Callable[[], T], fallback: T) -> T:
        if self.breaker.is_open():
            return fallback
        try:
            result = operation()
        except UNREACHABLE as error:
            self.breaker.trip(error)
            return fallback
        self.breaker.record_success()
        return result

    def add(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        return self._call(partial(super().add, key, value, timeout, version), False)

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self._call(partial(super().get, key, default, version), default)

    def set(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        self._call(partial(super().set, key, value, timeout, version), None)

    def touch(
        self, key: str, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._call(partial(super().touch, key, timeout, version), False)

    def delete(self, key: str, version: int | None = None) -> bool:
        return self._call(partial(super().delete, key, version), False)

    def get_many(self, keys: Iterable[str], version: int | None = None) -> dict[str, Any]:
        return self._call(partial(super().get_many, keys, version), {})

    def has_key(self, key: str, version: int | None = None) -> bool:
        return self._call(partial(super().has_key, key, version), False)

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        # Django's contract for a key that is not there is a ValueError, which callers handle;
        # an unreachable Redis holds no key.
        value: int | None = self._call(partial(super().incr, key, delta, version), None)
        if value is None:
            raise ValueError(f"Key {key!r} not found: Redis is unreachable.")
        return value

    def set_many(
        self,
        data: dict[str, Any],
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> list[str]:
        # Django's contract: the keys that could not be stored.
        return self._call(partial(super().set_many, data, timeout, version), list(data))

    def delete_many(self, keys: Iterable[str], version: int | None = None) -> None:
        self._call(partial(super().delete_many, keys, version), None)

    def clear(self) -> None:
        self._call(super().clear, None)


def is_available(cache: BaseCache) -> bool:
    """Whether ``cache`` answered its last call: a :class:`ResilientRedisCache` may not have;
    any other cache of this project (the database's, or local memory in tests) raises instead.
    Duck-typed, so ``django.core.cache.cache`` (a proxy, as DRF's throttles hold it) works too."""
    check = getattr(cache, "is_available", None)
    return check is None or bool(check())
