"""Liveness and readiness probe for load balancers and the demo runner."""

from __future__ import annotations

import logging
from typing import Literal

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.cache import ResilientRedisCache
from config.queue import queue_health

logger = logging.getLogger(__name__)

Status = Literal["ok", "unavailable"]


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Each dependency's state, and 503 only when the database cannot be reached.

    ``status`` is ``ok`` when everything answers, ``degraded`` when the cache or the task queue
    does not (the API still works: pages are served uncached, orders and tokens are refused
    with 503 until Redis is back, maintenance waits for the next cron run), and
    ``unavailable`` without the database, which nothing here works without: that 503 takes
    the server out of a load balancer's rotation. A probe that answered without touching the
    database would keep a broken server in rotation.
    """
    database = _database_status()
    cache = _cache_status(database)
    queue = queue_health()
    if database == "unavailable":
        status = "unavailable"
    elif cache == "unavailable" or queue["status"] == "unavailable":
        status = "degraded"
    else:
        status = "ok"
    body = {"status": status, "database": database, "cache": cache, "queue": queue}
    return JsonResponse(body, status=503 if database == "unavailable" else 200)


def _database_status() -> Status:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check failed: the database is unreachable.")
        return "unavailable"
    return "ok"


def _cache_status(database: Status) -> Status:
    """Redis answers a PING (one per server, with a short timeout); the database cache is the
    database."""
    pinged: set[str] = set()
    for alias in settings.CACHES:
        cache = caches[alias]
        if isinstance(cache, ResilientRedisCache) and cache.breaker.location not in pinged:
            pinged.add(cache.breaker.location)
            if not cache.ping():
                return "unavailable"
        elif isinstance(cache, DatabaseCache) and database == "unavailable":
            return "unavailable"
    return "ok"
