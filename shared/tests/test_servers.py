from pathlib import Path

import pytest

from shared.processes import clean_environment
from shared.servers import http_get, running_gunicorn

CONFIG = """
import os
wsgi_app = "tests.wsgi_app:application"
bind = [f"127.0.0.1:{os.environ['PORT']}"]
workers = 1
accesslog = "-"
errorlog = "-"
"""
# The folder gunicorn starts in: tests.wsgi_app is importable from it.
SHARED_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture
def config(tmp_path):
    """A gunicorn config file (absolute path) serving tests/wsgi_app.py on PORT."""
    path = tmp_path / "gunicorn.conf.py"
    path.write_text(CONFIG)
    return str(path)


def test_gunicorn_listens_on_a_port_the_system_picks_and_serves_the_app(config):
    with running_gunicorn(SHARED_DIR, clean_environment("unused"), config) as server:
        response = http_get(f"{server.address}/healthz", Accept="application/json")

    assert server.address.startswith("http://127.0.0.1:")
    assert not server.address.endswith(":0")
    assert response.status == 200
    assert response.headers["X-Test"] == "yes"
    assert response.body == b'{"status": "ok"}'


def test_stopping_gunicorn_returns_its_access_log(config):
    with running_gunicorn(SHARED_DIR, clean_environment("unused"), config) as server:
        http_get(f"{server.address}/healthz")
        access_log = server.stop()

    assert server.process.returncode == 0
    assert '"GET /healthz HTTP/1.1" 200' in access_log


def test_gunicorn_is_stopped_when_the_block_ends(config):
    with running_gunicorn(SHARED_DIR, clean_environment("unused"), config) as server:
        pass

    assert server.process.returncode is not None


def test_a_gunicorn_that_cannot_start_raises_with_its_output(config):
    Path(config).write_text("raise ValueError('broken config')\n")

    with (
        pytest.raises(RuntimeError, match=r"(?s)stopped before listening.*broken config"),
        running_gunicorn(SHARED_DIR, clean_environment("unused"), config),
    ):
        pass  # pragma: no cover - never reached


def test_http_get_answers_an_error_status_instead_of_raising(config):
    with running_gunicorn(SHARED_DIR, clean_environment("unused"), config) as server:
        response = http_get(f"{server.address}/missing")

    assert response.status == 404
    assert response.body == b"not found"
