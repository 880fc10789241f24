"""PostgreSQL restarts under a production server with persistent connections; gunicorn is not.

A throwaway PostgreSQL cluster of the test's own (``shared.services.throwaway_postgres``) is
stopped the way a restart stops it (``fast``: every session ended) while gunicorn holds
persistent connections (``CONN_MAX_AGE=60``, health-checked before reuse). Meanwhile every
page, a staff reply and ``/healthz`` answer a clean 503 at once (the friendly page with
``Retry-After``, no traceback, no hung worker); once the database is back the same server
answers 200 again, the same session still logged in. Nothing is half-written: the reply refused
during the outage does not exist, the ones accepted before and after each have their comment
and their e-mail in the outbox, exactly once.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from shared.services import throwaway_postgres

from tests.faults.deployment import Answer, environment, prepare, query, serving, until

pytestmark = pytest.mark.faults

REPLIES_AND_OUTBOX = """
from mail.models import OutboundEmail
from tickets.models import Comment

print(json.dumps({
    "replies": sorted(Comment.objects.values_list("body", flat=True)),
    "outbox": sorted(OutboundEmail.objects.values_list("event_key", flat=True)),
    "reply_events": sorted(
        f"ticket-{c.ticket_id}-comment-{c.pk}" for c in Comment.objects.all()
    ),
}))
"""


def _is_clean_503(answer: Answer) -> bool:
    return (
        answer.status == 503
        and answer.headers.get("Retry-After") == "10"
        and "briefly unavailable" in answer.text
        and "Traceback" not in answer.text
        and answer.seconds < 5
    )


def test_a_postgresql_restart_answers_503_meanwhile_and_the_same_server_recovers(
    static_root: Path,
):
    with throwaway_postgres() as cluster:
        env = environment(
            cluster.create_database("helpdesk"), static_root, DJANGO_CONN_MAX_AGE="60"
        )
        ticket = prepare(env)["ticket"]
        comments = f"/tickets/{ticket}/comments/"
        with serving(env) as server:
            agent = server.visitor()
            assert agent.log_in("agent").status == 302
            # Every gunicorn worker opens its persistent connection before the restart.
            assert {agent.get("/dashboard/").status for _ in range(6)} == {200}
            assert agent.post(comments, {"body": "Before the restart."}).status == 302

            cluster.stop(mode="fast")
            during = [
                agent.get("/dashboard/"),
                agent.get(f"/tickets/{ticket}/"),
                agent.post(comments, {"body": "During the restart."}),
            ]
            # Logging in needs the database; the form itself does not (no session yet).
            login_during = server.visitor().log_in("alice")
            health_during = server.visitor().get("/healthz")

            cluster.start()
            back = until(lambda: agent.get("/dashboard/").status == 200)
            health_after = server.visitor().get("/healthz")
            after = agent.post(comments, {"body": "After the restart."})

        assert [_is_clean_503(answer) for answer in during] == [True] * len(during)
        assert _is_clean_503(login_during)
        assert health_during.status == 503
        assert health_during.json()["status"] == "unavailable"
        assert health_during.json()["database"] == "unavailable"
        assert back, "the server did not answer 200 again after the database came back"
        assert health_after.status == 200
        assert health_after.json()["database"] == "ok"
        assert after.status == 302
        assert not [line for line in server.lines if '" 500 ' in line]

        state = query(env, REPLIES_AND_OUTBOX)
        assert state["replies"] == ["After the restart.", "Before the restart."]
        assert state["outbox"] == state["reply_events"]  # each reply e-mailed once, no other
