"""Deleting a test's own RQ queue from a shared Redis, so no run leaves anything behind."""

from __future__ import annotations

from redis import Redis
from rq import Queue
from rq.registry import (
    CanceledJobRegistry,
    DeferredJobRegistry,
    FailedJobRegistry,
    FinishedJobRegistry,
    ScheduledJobRegistry,
    StartedJobRegistry,
)

_REGISTRIES = (
    CanceledJobRegistry,
    DeferredJobRegistry,
    FailedJobRegistry,
    FinishedJobRegistry,
    ScheduledJobRegistry,
    StartedJobRegistry,
)


def delete_queue(redis_url: str, name: str) -> None:
    """Delete the queue ``name``, its registries, every job it held, every key naming it and the
    records of the workers that served it."""
    connection = Redis.from_url(redis_url)
    queue = Queue(name, connection=connection)
    job_ids = set(queue.get_job_ids())
    for registry in _REGISTRIES:
        job_ids.update(registry(queue=queue).get_job_ids())
    for job_id in job_ids:
        connection.delete(f"rq:job:{job_id}", f"rq:results:{job_id}")
    queue.delete(delete_jobs=True)
    for key in connection.scan_iter(match=f"*{name}*"):
        connection.delete(key)
    for key in connection.scan_iter(match="rq:worker:*"):  # a stopped worker's record (60 s)
        if connection.hget(key, "queues") == name.encode():
            connection.delete(key)
    connection.close()
