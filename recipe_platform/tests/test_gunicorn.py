"""The production server started for real (its config file is tests/test_contract.py's)."""

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from shared.images import make_image
from shared.processes import PRODUCTION, clean_environment
from shared.servers import Gunicorn, http_get, running_gunicorn

from tests.processes import PROJECT_DIR

PHOTO = make_image("WEBP")


@contextmanager
def _gunicorn(folder: Path, static_root: Path) -> Iterator[Gunicorn]:
    """gunicorn started as the README says, on a port the system picks, with production settings,
    serving a photo from its media folder as the one-machine demo does."""
    media_root = folder / "media"
    (media_root / "recipes").mkdir(parents=True)
    (media_root / "recipes" / "photo.webp").write_bytes(PHOTO)
    environment = clean_environment(
        "config.settings.production",
        WEB_CONCURRENCY="1",
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_MEDIA_ROOT=str(media_root),
        DJANGO_SERVE_MEDIA="true",
        DJANGO_SECURE_SSL_REDIRECT="false",
        **{**PRODUCTION, "DJANGO_ALLOWED_HOSTS": "127.0.0.1"},
    )
    with running_gunicorn(PROJECT_DIR, environment) as server:
        yield server


@pytest.fixture
def gunicorn(collected_static, tmp_path):
    """A server of this test's own, which the test may stop (to read its access log)."""
    with _gunicorn(tmp_path, collected_static) as server:
        yield server


@pytest.fixture(scope="module")
def serving_gunicorn(collected_static, tmp_path_factory):
    """One server for the tests that only send requests (none of them writes), started once."""
    with _gunicorn(tmp_path_factory.mktemp("gunicorn"), collected_static) as server:
        yield server


def test_gunicorn_serves_the_project_and_logs_each_request_to_stdout(gunicorn):
    health = http_get(f"{gunicorn.address}/healthz")
    login = http_get(f"{gunicorn.address}/accounts/login/")
    access_log = gunicorn.stop()

    assert health.status == 200
    # Not migrated: the cache's and the queue's tables are missing, which is reported as
    # degraded but serves on (the database answers).
    assert json.loads(health.body) == {
        "status": "degraded",
        "database": "ok",
        "cache": "unavailable",
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


def test_gunicorn_serves_photos_when_asked_for_a_one_machine_demo(serving_gunicorn):
    photo = http_get(f"{serving_gunicorn.address}/media/recipes/photo.webp")

    assert (photo.status, photo.body) == (200, PHOTO)


def test_production_pages_carry_hsts_for_one_year_and_the_content_security_policy(
    serving_gunicorn,
):
    """As served behind a TLS proxy on 127.0.0.1 (gunicorn's FORWARDED_ALLOW_IPS default)."""
    login = http_get(
        f"{serving_gunicorn.address}/accounts/login/", **{"X-Forwarded-Proto": "https"}
    )

    assert login.status == 200
    assert login.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    policy = dict(d.split(" ", 1) for d in login.headers["Content-Security-Policy"].split("; "))
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
