"""Task queues a test can switch to: the database queue, RQ on the test run's Redis, or RQ on
a port where nothing listens, and the clean-up that leaves that Redis as it was found."""

from __future__ import annotations

import os
import uuid

import pytest
from redis import Redis

REDIS_URL = os.environ.get("REDIS_URL", "")
needs_redis = pytest.mark.skipif(
    not REDIS_URL, reason="needs a Redis server: set REDIS_URL (e.g. redis://127.0.0.1:6379/2)"
)


def unique_queue_name() -> str:
    """A queue of the test's own, so nothing a test enqueues is seen by another test or run."""
    return f"test-{uuid.uuid4().hex[:16]}"


def database_queue(settings, name: str) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": [name]}}


def rq_queue(settings, name: str, url: str) -> None:
    settings.RQ_QUEUES = {name: {"URL": url}}
    settings.RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [name]}}


def delete_rq_queue(url: str, name: str) -> None:
    """Delete every key RQ made for the queue ``name``: its list and registries, its jobs and
    their results, and the workers that listened to it."""
    redis = Redis.from_url(url, decode_responses=True)
    try:
        job_ids: set[str] = set()
        for registry in ("finished", "failed", "started", "scheduled", "deferred", "canceled"):
            job_ids.update(str(job) for job in redis.zrange(f"rq:{registry}:{name}", 0, -1))
        job_ids.update(str(job) for job in redis.lrange(f"rq:queue:{name}", 0, -1))
        keys = [f"rq:{kind}:{job}" for job in job_ids for kind in ("job", "results")]
        keys += [str(key) for key in redis.scan_iter(match=f"*{name}*")]
        for worker in redis.smembers("rq:workers"):
            if redis.hget(str(worker), "queues") == name:
                keys.append(str(worker))
                redis.srem("rq:workers", str(worker))
        redis.srem("rq:queues", f"rq:queue:{name}")
        if keys:
            redis.delete(*keys)
    finally:
        redis.close()
