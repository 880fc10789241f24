"""The production server started for real (its config file is tests/test_contract.py's)."""

import json
import re

import pytest
from shared.processes import PRODUCTION, clean_environment
from shared.servers import http_get, running_gunicorn

from tests.processes import PROJECT_DIR


@pytest.fixture
def gunicorn(collected_static, tmp_path):
    """gunicorn started as the README says, on a port the system picks, with production settings."""
    environment = clean_environment(
        "config.settings.production",
        WEB_CONCURRENCY="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(collected_static),
        DJANGO_SECURE_SSL_REDIRECT="false",
        **{**PRODUCTION, "DJANGO_ALLOWED_HOSTS": "127.0.0.1"},
    )
    with running_gunicorn(PROJECT_DIR, environment) as server:
        yield server


def test_gunicorn_serves_the_project_and_logs_each_request_to_stdout(gunicorn):
    health = http_get(f"{gunicorn.address}/healthz")
    login = http_get(f"{gunicorn.address}/accounts/login/")
    access_log = gunicorn.stop()

    assert health.status == 200
    # Not migrated: the database answers, the queue's table is missing (reported, not fatal).
    assert json.loads(health.body) == {
        "status": "degraded",
        "database": "ok",
        "cache": "ok",
        "queue": {
            "backend": "database",
            "status": "unavailable",
            "depth": None,
            "oldest_waiting_seconds": None,
        },
    }
    assert login.status == 200
    assert re.search(rb'href="/static/css/site\.[0-9a-f]{12}\.css"', login.body)
    assert '"GET /healthz HTTP/1.1" 200' in access_log
