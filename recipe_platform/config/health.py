"""Liveness and readiness probe for load balancers and the demo runner."""

import logging
from typing import Literal

from django.contrib.auth.decorators import login_not_required
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.queue import queue_health

logger = logging.getLogger(__name__)

Status = Literal["ok", "unavailable"]


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Report each dependency; answer 503 only when the database cannot be reached.

    A probe that answered without touching the database would keep a broken server in rotation;
    one that failed with the cache or the task queue would take every server out of rotation
    for an optimisation: every page works without the cache (served uncached) and without the
    queue (its work is recorded and caught up by the maintenance). So those two are reported,
    and make the status ``degraded``, not ``unavailable``.
    """
    database = _database_health()
    reachable = database == "ok"
    cache = _cache_health(database_reachable=reachable)
    queue = queue_health(database_reachable=reachable)
    if not reachable:
        status = "unavailable"
    elif cache != "ok" or queue["status"] != "ok":
        status = "degraded"
    else:
        status = "ok"
    body = {"status": status, "database": database, "cache": cache, "queue": queue}
    return JsonResponse(body, status=200 if reachable else 503)


def _database_health() -> Status:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Health check: the database is unreachable.", exc_info=True)
        return "unavailable"
    return "ok"


def _cache_health(*, database_reachable: bool) -> Status:
    """A round trip to Redis (``ResilientRedisCache.ping``); the database's cache (or the tests'
    local memory) is asked for a key, unless the database is known to be away."""
    cache = caches[DEFAULT_CACHE_ALIAS]
    ping = getattr(cache, "ping", None)
    if ping is not None:
        return "ok" if ping() else "unavailable"
    if not database_reachable and isinstance(cache, DatabaseCache):
        return "unavailable"
    try:
        cache.get("healthz")
    except DatabaseError:
        return "unavailable"
    return "ok"
