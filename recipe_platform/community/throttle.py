"""Per-user rate limits in the shared cache, for ratings, comments and URL imports.

A fixed window per user and action: the first write of a window creates its counter with
``cache.add`` (atomic on Redis and the database table), the others ``incr`` it. The cache is
shared by every worker and server (``settings.CACHES``), so a limit holds across them.

A throttle protects the site; it is not worth an error page: when the cache cannot be reached
the action is allowed (and logged), never a 500. ``config.cache.ResilientRedisCache`` already
turns a Redis outage into misses; a counter that then cannot be incremented is treated the same.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from django.core.cache import cache

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    action: str
    count: int
    window_seconds: int

    @property
    def message(self) -> str:
        minutes = self.window_seconds // 60
        return (
            f"You have done that {self.count} times in the last {minutes} minutes. "
            "Please wait a little and try again."
        )


RATINGS = Limit("rate", count=30, window_seconds=10 * 60)
COMMENTS = Limit("comment", count=10, window_seconds=10 * 60)
IMPORTS = Limit("import", count=10, window_seconds=10 * 60)


def allow(limit: Limit, user_id: int) -> bool:
    """Count one attempt by ``user_id``; ``False`` once the window's ``limit.count`` is used up."""
    window = int(time.time()) // limit.window_seconds
    key = f"throttle:{limit.action}:{user_id}:{window}"
    try:
        if cache.add(key, 1, timeout=limit.window_seconds):
            return True
        count = cache.incr(key)
    except ValueError:  # the counter expired (or the cache dropped it) between add and incr
        return True
    except Exception:  # the cache is down: degrade to no limit rather than refuse everyone
        logger.warning("Throttle %s unavailable: the cache did not answer.", limit.action)
        return True
    return count <= limit.count
