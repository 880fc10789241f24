"""Redis as an optimisation, never a dependency: the cache backend whenever ``REDIS_URL`` is set.

Django's ``RedisCache`` raises ``redis.exceptions.ConnectionError`` from every call while Redis
is down, so the staff dashboard (which keeps its rendered board in the cache) answered 500, and
a Redis that stopped answering without refusing made every request wait for the operating
system's TCP timeout. :class:`ResilientRedisCache` changes that:

- a read that cannot reach Redis is a miss (the default), a write or a delete is skipped, so
  the dashboard is built for the request and served uncached;
- connecting, and each reply, waits at most :data:`SOCKET_TIMEOUT` seconds;
- after a failure a small circuit breaker skips Redis for :data:`OUTAGE_SECONDS`, so an outage
  costs one timeout per process every few seconds, not one per request; the first call after
  that tries again, so caching resumes by itself when Redis is back (no restart);
- the outage is logged as a WARNING at most once every :data:`LOG_INTERVAL_SECONDS` per
  process, and the recovery once.

Nothing in the helpdesk must fail closed without the cache (logins count failures in the
database, sessions live there too), so :meth:`ResilientRedisCache.is_available` (no I/O: did
the last attempt fail?) is for code that would; ``/healthz`` uses :meth:`~ResilientRedisCache.ping`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from time import monotonic
from typing import Any, Final, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: Seconds to connect to Redis, and to wait for each reply, before calling it unreachable.
SOCKET_TIMEOUT: Final = 0.25
#: Seconds Redis is skipped after a failure before the next attempt.
OUTAGE_SECONDS: Final = 5.0
#: A continuing outage is logged again after this many seconds.
LOG_INTERVAL_SECONDS: Final = 60.0


def unreachable_errors() -> tuple[type[Exception], ...]:
    """What redis-py raises when Redis cannot be reached in time.

    Imported here, not at the top: redis-py takes half a second to import, and this module is
    imported by ``/healthz`` (and so by the URLconf of every process) with or without
    ``REDIS_URL``; only a process that builds this cache needs redis-py, and Django's
    ``RedisCache`` imports it then too.
    """
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    return (RedisConnectionError, RedisTimeoutError)


@dataclass
class CircuitBreaker:
    """What this process knows about one Redis server (a cache ``LOCATION``): skip it until
    ``open_until``. Shared by every cache object using that server (Django makes one per alias
    and per thread)."""

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
                "Redis at %s is unreachable (%s): the cache is bypassed and tried again every "
                "%g seconds.",
                self.location,
                error,
                OUTAGE_SECONDS,
            )

    def close(self) -> None:
        """Redis answered: use it again, and say so once after an outage."""
        if self.down_since is not None:
            logger.info(
                "Redis at %s answers again, after %.0f seconds.",
                self.location,
                monotonic() - self.down_since,
            )
        self.open_until, self.down_since, self.logged_at = 0.0, None, None


_breakers: dict[str, CircuitBreaker] = {}


def breaker_for(location: str) -> CircuitBreaker:
    """This process's breaker for the Redis server at ``location``."""
    return _breakers.setdefault(location, CircuitBreaker(location))


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, answering a miss instead of raising while Redis is unreachable."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        # RedisCache hands OPTIONS to redis-py's connection pool; the settings may override.
        options = {
            "socket_connect_timeout": SOCKET_TIMEOUT,
            "socket_timeout": SOCKET_TIMEOUT,
            **params.get("OPTIONS", {}),
        }
        super().__init__(server, {**params, "OPTIONS": options})
        self.breaker = breaker_for(server)
        self.unreachable = unreachable_errors()

    def is_available(self) -> bool:
        """False while the breaker is open (the last attempt failed within
        :data:`OUTAGE_SECONDS`); makes no connection."""
        return not self.breaker.is_open()

    def ping(self) -> bool:
        """A real round trip, made even while the breaker is open, so that ``/healthz`` tells
        the truth and a Redis that is back is used again at once."""
        try:
            # RedisCache's client is a redis.Redis on its pool (untyped in django-stubs).
            self._cache.get_client().ping()  # type: ignore[attr-defined]
        except self.unreachable as error:
            self.breaker.trip(error)
            return False
        self.breaker.close()
        return True

    def _call(self, operation: Callable[[], T], fallback: T) -> T:
        if self.breaker.is_open():
            return fallback
        try:
            result = operation()
        except self.unreachable as error:
            self.breaker.trip(error)
            return fallback
        if self.breaker.down_since is not None:
            self.breaker.close()
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

    def has_key(self, key: str, version: int | None = None) -> bool:
        return self._call(partial(super().has_key, key, version), False)

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        # Django's answer for a key that is not there is ValueError; an unreachable Redis has none.
        value: int | None = self._call(partial(super().incr, key, delta, version), None)
        if value is None:
            raise ValueError(f"Key {key!r} not found: Redis is unreachable.")
        return value

    def get_many(self, keys: Iterable[str], version: int | None = None) -> dict[str, Any]:
        return self._call(partial(super().get_many, keys, version), {})

    def set_many(
        self,
        data: dict[str, Any],
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> list[str]:
        # Django's answer: the keys that could not be stored.
        return self._call(partial(super().set_many, data, timeout, version), list(data))

    def delete_many(self, keys: Iterable[str], version: int | None = None) -> None:
        self._call(partial(super().delete_many, keys, version), None)

    def clear(self) -> None:
        self._call(super().clear, None)
