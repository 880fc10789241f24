"""Redis stops under gunicorn and comes back: the site works uncached, then caches again.

A real ``redis-server`` (``shared.services.RedisServer``, on a port of its own) holds the cache
and the RQ task queue of a gunicorn served with the production settings. While it is down every
page, the login and a deletion (whose background task cannot be enqueued) answer without a 5xx,
quickly, and ``/healthz`` says "degraded" with the cache and the queue unavailable. When it is
back (empty, as a replaced node would be), the same gunicorn uses it again: no restart.
"""

from __future__ import annotations

import json

import pytest
from redis import Redis
from shared.services import RedisServer

from tests.faults.deployment import PASSWORD, Deployment, eventually
from tests.faults.visitor import Visitor

pytestmark = pytest.mark.faults

PAGE_KEYS = "recipe_platform:*anonymous-page*"


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


def test_the_site_serves_uncached_while_redis_is_down_and_caches_again_after(
    tmp_path, collected_static, seeded_site, redis_server
):
    deployment = Deployment(tmp_path, collected_static, REDIS_URL=redis_server.url)
    slugs = deployment.restore(seeded_site)
    redis = Redis.from_url(redis_server.url)
    with deployment.serving() as server:
        anonymous, cook = Visitor(server.address), Visitor(server.address)
        assert anonymous.get("/recipes/").status == 200
        assert redis.keys(PAGE_KEYS)  # the list page is cached
        assert cook.log_in("cook", PASSWORD).status == 302

        redis_server.stop()
        answers = {
            "list": anonymous.get("/recipes/"),
            "list, page 1": anonymous.get("/recipes/?page=1"),
            "recipe": anonymous.get(f"/recipes/{slugs[0]}/"),
            "login page": Visitor(server.address).get("/accounts/login/"),
            "login": Visitor(server.address).log_in("cook", PASSWORD),
            "my recipes": cook.get("/recipes/mine/"),
            "delete": cook.post(f"/recipes/{slugs[1]}/delete/", {}),
            "healthz": anonymous.get("/healthz"),
        }

        assert {name: answer.status for name, answer in answers.items()} == {
            "list": 200,
            "list, page 1": 200,
            "recipe": 200,
            "login page": 200,
            "login": 302,
            "my recipes": 200,
            "delete": 302,  # its files' deletion task could not be enqueued
            "healthz": 200,
        }
        assert max(answer.seconds for answer in answers.values()) < 2
        health = json.loads(answers["healthz"].body)
        assert (health["status"], health["database"], health["cache"]) == (
            "degraded",
            "ok",
            "unavailable",
        )
        assert health["queue"]["status"] == "unavailable"

        redis_server.start()  # empty, like a replaced node
        eventually(lambda: json.loads(anonymous.get("/healthz").body)["status"] == "ok")
        # Each worker process tries Redis again at most five seconds after its last failure.
        eventually(lambda: anonymous.get("/recipes/").status == 200 and redis.keys(PAGE_KEYS))
        assert server.process.poll() is None  # the same gunicorn throughout

    # The deleted recipe's files are recorded as unused: the maintenance deletes them.
    assert len(deployment.audit()["stored_unused"]) == 2
    assert "delete_orphaned_images: deleted 2" in deployment.manage("run_maintenance", "--now")
    audit = deployment.audit()
    assert audit["recipes"] == 2
    assert audit["stored_unused"] == audit["named_but_missing"] == []
