"""Liveness and readiness probe for load balancers and the demo runner."""

from __future__ import annotations

import logging
from typing import Literal

from django.contrib.auth.decorators import login_not_required
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


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Each dependency's state, and 503 only when the database cannot be reached.

    ``status`` is ``ok`` when everything answers; ``degraded`` when the cache or the task queue
    does not (the pages still work: the dashboard is built uncached, e-mail waits in the outbox
    and the maintenance job enqueues it again); ``unavailable`` without the database, which no
    page works without: that 503 takes the server out of a load balancer's rotation. A probe
    that answered without touching the database would keep a broken server in rotation.
    """
    database = _database_status()
    cache = _cache_status(database)
    # The database queue is not asked when the database is away.
    queue = queue_health(database_available=database == "ok")
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
    """Redis answers a PING (short timeout); the database cache is as available as the
    database; the tests' local memory always is."""
    cache = caches["default"]
    if isinstance(cache, ResilientRedisCache):
        return "ok" if cache.ping() else "unavailable"
    if isinstance(cache, DatabaseCache):
        return database
    return "ok"
