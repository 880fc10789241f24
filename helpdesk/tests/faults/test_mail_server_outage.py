"""The mail server is down: the change is committed and shown, the e-mail goes out once it is back.

A production gunicorn (database task queue) and the real worker process; the SMTP server is the
test's aiosmtpd, stopped and started again. The worker's first try fails, the e-mail stays in
the outbox with a deferred retry in the queue; once the server is back and the back-off has
passed (moved forward here instead of waited for), the worker's retry sends it exactly once.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.faults.deployment import SETTINGS, SeededDatabase, environment, query, serving
from tests.processes import manage

pytestmark = pytest.mark.faults

OUTBOX = """
from django_tasks_db.models import DBTaskResult
from mail.models import OutboundEmail

email = OutboundEmail.objects.get()
print(json.dumps({
    "status": email.status,
    "attempts": email.attempts,
    "error": email.last_error,
    "retry_due_in": [
        round((task.run_after - email.next_attempt_at).total_seconds())
        for task in DBTaskResult.objects.filter(status="READY")
    ],
}))
"""

# The state above, then the back-off moved forward as if its 30 seconds had passed.
BACK_OFF_PASSED = """
from datetime import timedelta
from django.utils import timezone

earlier = timezone.now() - timedelta(seconds=1)
OutboundEmail.objects.update(next_attempt_at=earlier)
DBTaskResult.objects.filter(status="READY").update(run_after=earlier)
"""


def test_with_the_mail_server_down_the_change_is_saved_and_mailed_when_it_is_back(
    seeded_sqlite: SeededDatabase, static_root: Path, tmp_path: Path, smtp_server
):
    env = environment(
        seeded_sqlite.copy(tmp_path),
        static_root,
        DJANGO_EMAIL_HOST=smtp_server.host,
        DJANGO_EMAIL_PORT=str(smtp_server.port),
        DJANGO_EMAIL_USE_TLS="false",
    )
    ticket = seeded_sqlite.ticket
    smtp_server.stop()
    with serving(env) as server:
        agent = server.visitor()
        agent.log_in("agent")
        changed = agent.post(f"/tickets/{ticket}/status/", {"status": "pending"})
        page = agent.get(f"/tickets/{ticket}/")

    assert changed.status == 302
    assert "status Open → Pending" in page.text

    first_try = manage("run_worker", "--burst", settings_module=SETTINGS, **env)
    assert first_try.returncode == 0, first_try.stderr
    waiting = query(env, OUTBOX + BACK_OFF_PASSED)
    assert (waiting["status"], waiting["attempts"]) == ("pending", 1)
    assert waiting["error"].startswith("ConnectionRefusedError")
    assert waiting["retry_due_in"] == [0]  # the retry task is deferred to the e-mail's next try

    smtp_server.start()
    retry = manage("run_worker", "--burst", settings_module=SETTINGS, **env)
    assert retry.returncode == 0, retry.stderr

    (message,) = smtp_server.wait_for(1)
    assert message["Subject"] == f"[#{ticket}] Printer on fire: now Pending"
    sent = query(env, OUTBOX)
    assert (sent["status"], sent["attempts"], sent["retry_due_in"]) == ("sent", 2, [])
