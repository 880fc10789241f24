"""``manage.py receive_email`` as the MTA runs it: a process, the message on standard input,
and an exit code that tells the MTA whether to keep the message for a retry."""

from __future__ import annotations

import subprocess
import sys

from shared import processes
from shared.services import free_port

from tests.inbound.conftest import eml
from tests.processes import PROJECT_DIR

EX_TEMPFAIL = 75


def _receive(raw: bytes, **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "manage.py", "receive_email"],
        cwd=PROJECT_DIR,
        env=processes.clean_environment("config.settings.test", **env),
        input=raw,
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_a_database_that_cannot_be_reached_exits_75_so_the_mta_retries():
    unreachable = f"postgres://nobody:nothing@127.0.0.1:{free_port()}/helpdesk"

    result = _receive(eml("plain.eml"), DATABASE_URL=unreachable)

    assert result.returncode == EX_TEMPFAIL, result.stderr.decode()


def test_a_piped_message_is_filed_and_exits_0_and_a_repeat_changes_nothing(
    sqlite_database, tmp_path
):
    env = {
        "DATABASE_URL": sqlite_database,
        "HELPDESK_EMAIL_CREATES_ACCOUNTS": "true",
        "DJANGO_SUPPORT_EMAIL": "support@help.example.org",
        "HELPDESK_ATTACHMENTS_ROOT": str(tmp_path / "attachments"),
    }

    first = _receive(eml("multipart_attachments.eml"), **env)
    again = _receive(eml("multipart_attachments.eml"), **env)
    bounce = _receive(eml("bounce.eml"), **env)
    malformed = _receive(eml("malformed.eml"), **env)

    assert (first.returncode, first.stdout) == (0, b"opened #1\n"), first.stderr.decode()
    assert (again.returncode, again.stdout) == (0, b"opened #1 (received before)\n")
    assert (bounce.returncode, bounce.stdout) == (0, b"dropped\n")
    assert (malformed.returncode, malformed.stdout) == (0, b"dropped\n")
