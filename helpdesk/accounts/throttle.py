"""A fixed-window request counter in the shared cache, for pages that send e-mail.

The password reset form sends mail to whatever address is typed: unthrottled, it is a way to
flood someone's inbox and to hammer the outbox. Counters live in the project's cache (Redis or
the database table, shared by every process), so a limit holds across gunicorn workers.

The cache is an optimisation here too: when it cannot count (Redis unreachable, which
``config.cache.ResilientRedisCache`` reports as a missing key, or the cache table failing) the
request is let through and a warning logged. Failing closed would turn a cache outage into
nobody being able to recover their account; failing open costs, for the outage, the limit.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.cache import cache
from django.db import DatabaseError

logger = logging.getLogger(__name__)


def allow(scope: str, identity: str, *, limit: int, window_seconds: int) -> bool:
    """Count one request by ``identity`` in ``scope``; ``False`` once more than ``limit``
    were counted in the current window of ``window_seconds`` (which starts at the first).

    ``identity`` (an address, an e-mail) is hashed into the key: no personal data in the
    cache's keys, and any text makes a valid key.
    """
    digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
    key = f"throttle:{scope}:{digest}"
    try:
        cache.add(key, 0, timeout=window_seconds)
        count = cache.incr(key)
    except ValueError:  # the key is gone: expired just now, evicted, or Redis is unreachable
        logger.warning("Throttle %s could not count a request; it is let through.", scope)
        return True
    except DatabaseError:  # the database cache's table cannot be read or written
        logger.warning("Throttle %s: the cache failed; the request is let through.", scope)
        return True
    return count <= limit
