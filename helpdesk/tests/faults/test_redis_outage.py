"""Redis stops under a production server and comes back; the server is never restarted.

A real ``redis-server`` of the test's own (``shared.services.RedisServer``) holds the cache and
the task queue of a gunicorn running the production settings. While it is down, staff and
customers log in and work as usual: the dashboard is built uncached, a reply is saved and its
e-mail waits in the outbox (its enqueue failed and was logged), and ``/healthz`` stays 200
saying what is missing. Once Redis is back the dashboard is cached again, and the cron job plus
the worker deliver the e-mail that could not be enqueued, to a real SMTP server.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis import Redis
from shared.services import RedisServer

from tests.faults.deployment import SETTINGS, SeededDatabase, environment, query, serving, until
from tests.processes import manage

pytestmark = pytest.mark.faults

#: An access-log line of a 5xx answer, or a log line of level ERROR.
SERVER_ERROR = re.compile(r'" 5\d\d |^\S+ \S+ ERROR ')


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    yield server
    server.stop()


OVERDUE_OUTBOX = """
from datetime import timedelta
from django.utils import timezone
from mail.models import OutboundEmail

print(json.dumps(list(OutboundEmail.objects.values_list("status", flat=True))))
OutboundEmail.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=6))
"""


def _boards(redis_server: RedisServer) -> list[bytes]:
    with Redis.from_url(redis_server.url) as redis:
        return list(redis.scan_iter(match="helpdesk:*dashboard-board:*"))


def test_while_redis_is_down_the_helpdesk_works_uncached_and_loses_no_email(
    redis_server, seeded_sqlite: SeededDatabase, static_root: Path, tmp_path: Path, smtp_server
):
    env = environment(
        seeded_sqlite.copy(tmp_path),
        static_root,
        REDIS_URL=redis_server.url,
        DJANGO_EMAIL_HOST=smtp_server.host,
        DJANGO_EMAIL_PORT=str(smtp_server.port),
        DJANGO_EMAIL_USE_TLS="false",
    )
    ticket = seeded_sqlite.ticket
    with serving(env) as server:
        agent = server.visitor()
        assert agent.log_in("agent").status == 302
        # Both workers answer before the outage: a worker's first page loads the URLconf and
        # compiles templates, a cost the one-second bound below is not about.
        assert {agent.get("/dashboard/").status for _ in range(6)} == {200}
        assert _boards(redis_server)  # cached while Redis is up

        redis_server.stop()
        before = len(agent.answers)
        dashboard = agent.get("/dashboard/")
        filtered = agent.get("/dashboard/?status=open&sort=-priority")
        page = agent.get(f"/tickets/{ticket}/")
        reply = agent.post(f"/tickets/{ticket}/comments/", {"body": "A technician is on the way."})
        alice = server.visitor()
        login = alice.log_in("alice")
        mine = alice.get("/tickets/")
        health = server.visitor().get("/healthz")

        assert [a.status for a in (dashboard, filtered, page, reply, login, mine)] == [
            200,
            200,
            200,
            302,
            302,
            200,
        ]
        assert "Printer on fire" in dashboard.text
        assert "A technician is on the way." in alice.get(f"/tickets/{ticket}/").text
        assert max(answer.seconds for answer in agent.answers[before:] + alice.answers) < 1
        assert health.status == 200
        assert health.json()["status"] == "degraded"
        assert health.json()["database"] == "ok"
        assert health.json()["cache"] == "unavailable"
        assert health.json()["queue"]["status"] == "unavailable"
        assert not [line for line in server.lines if SERVER_ERROR.search(line)]

        redis_server.start()  # the same port, empty: a restart without persistence

        healthy = until(lambda: server.visitor().get("/healthz").json()["status"] == "ok")
        assert healthy, "/healthz did not see Redis come back"
        recached = until(lambda: agent.get("/dashboard/").status == 200 and _boards(redis_server))
        assert recached, "the dashboard was not cached again after Redis came back"

    # The reply's e-mail could not be enqueued while Redis was down: it waits in the outbox...
    # ...and 5 minutes later (moved forward here) cron's next run enqueues it.
    statuses = query(env, OVERDUE_OUTBOX)
    assert statuses == ["pending"]
    assert smtp_server.messages == []
    assert manage("run_maintenance", settings_module=SETTINGS, **env).returncode == 0
    worker = manage("run_worker", "--burst", settings_module=SETTINGS, **env)
    assert worker.returncode == 0, worker.stderr

    (message,) = smtp_server.wait_for(1)
    assert message["Subject"] == f"[#{ticket}] Printer on fire: new reply"
