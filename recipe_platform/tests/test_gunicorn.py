"""The production server: config/gunicorn.conf.py read from the environment, and a real start."""

import re
import runpy
import subprocess
import sys
import urllib.request

import pytest
from shared.images import make_image

from tests.processes import PRODUCTION, PROJECT_DIR, clean_environment

CONFIG = PROJECT_DIR / "config" / "gunicorn.conf.py"


def _config(monkeypatch, **env):
    for name in ("PORT", "GUNICORN_HOST", "WEB_CONCURRENCY", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_defaults_serve_the_project_on_loopback_port_8000_with_two_sync_workers(monkeypatch):
    config = _config(monkeypatch)

    assert config["wsgi_app"] == "config.wsgi:application"
    assert config["bind"] == ["127.0.0.1:8000"]
    assert config["workers"] == 2
    assert config["worker_class"] == "sync"
    assert config["timeout"] == 30
    assert config["accesslog"] == "-"


def test_port_address_workers_and_timeout_come_from_the_environment(monkeypatch):
    config = _config(
        monkeypatch,
        PORT="9001",
        GUNICORN_HOST="10.1.2.3",
        WEB_CONCURRENCY="4",
        GUNICORN_TIMEOUT="60",
    )

    assert config["bind"] == ["10.1.2.3:9001"]
    assert config["workers"] == 4
    assert config["timeout"] == 60


PHOTO = make_image("WEBP")


@pytest.fixture
def gunicorn(collected_static, tmp_path):
    """gunicorn started as the README says, on a port the system picks, production settings,
    serving a photo from its media folder as the one-machine demo does."""
    media_root = tmp_path / "media"
    (media_root / "recipes").mkdir(parents=True)
    (media_root / "recipes" / "photo.webp").write_bytes(PHOTO)
    environment = clean_environment(
        "config.settings.production",
        PORT="0",
        WEB_CONCURRENCY="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(collected_static),
        DJANGO_MEDIA_ROOT=str(media_root),
        DJANGO_SERVE_MEDIA="true",
        DJANGO_SECURE_SSL_REDIRECT="false",
        **{**PRODUCTION, "DJANGO_ALLOWED_HOSTS": "127.0.0.1"},
    )
    server = subprocess.Popen(  # noqa: S603 - a fixed interpreter and arguments
        [sys.executable, "-m", "gunicorn", "-c", str(CONFIG)],
        cwd=PROJECT_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    address = None
    assert server.stderr is not None
    # gunicorn logs the address once it listens; requests then wait for the worker to boot.
    while address is None and (line := server.stderr.readline()):
        if match := re.search(r"Listening at: (http://\S+)", line):
            address = match.group(1)
    try:
        assert address, "gunicorn did not start: " + server.stderr.read()
        yield server, address
    finally:
        server.terminate()
        server.wait(timeout=30)
        for pipe in (server.stdout, server.stderr):
            if pipe is not None:
                pipe.close()


def _get(url):
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own server
        return response.status, response.read()


def test_gunicorn_serves_the_project_and_logs_each_request_to_stdout(gunicorn):
    server, address = gunicorn

    health = _get(f"{address}/healthz")
    login = _get(f"{address}/accounts/login/")
    server.terminate()
    access_log, _ = server.communicate(timeout=30)

    assert health == (200, b'{"status": "ok"}')
    assert login[0] == 200
    assert re.search(r'href="/static/css/site\.[0-9a-f]{12}\.css"', login[1].decode())
    assert '"GET /healthz HTTP/1.1" 200' in access_log


def test_gunicorn_serves_photos_when_asked_for_a_one_machine_demo(gunicorn):
    _server, address = gunicorn

    assert _get(f"{address}/media/recipes/photo.webp") == (200, PHOTO)
