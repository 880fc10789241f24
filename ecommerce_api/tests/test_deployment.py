"""The production way to run the project: collectstatic, then gunicorn with its config file.

Both run as they would on a server, in their own processes, with production settings and only
environment variables. Together they take a few seconds, once for the module.
"""

from __future__ import annotations

import json
import runpy
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.subprocesses import PROJECT_DIR, STRONG_KEY, clean_environment, run_python

GUNICORN_CONF = PROJECT_DIR / "config" / "gunicorn.conf.py"
SWAGGER_BUNDLE = "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"


def _production_env(static_root: Path, **env: str) -> dict[str, str]:
    return {
        "DJANGO_SECRET_KEY": STRONG_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_STATIC_ROOT": str(static_root),
        **env,
    }


@pytest.fixture(scope="module")
def static_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``collectstatic`` run once with production settings into a temporary STATIC_ROOT."""
    root = tmp_path_factory.mktemp("staticfiles")
    result = run_python(
        "config.settings.production",
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('collectstatic', interactive=False, verbosity=0)",
        **_production_env(root),
    )
    assert result.returncode == 0, result.stderr
    return root


def test_collectstatic_writes_hashed_and_compressed_files_with_a_manifest(static_root):
    manifest = json.loads((static_root / "staticfiles.json").read_text())

    hashed = manifest["paths"][SWAGGER_BUNDLE]
    assert hashed != SWAGGER_BUNDLE
    assert hashed.startswith(SWAGGER_BUNDLE.removesuffix(".js") + ".")
    assert (static_root / hashed).is_file()
    assert (static_root / f"{hashed}.gz").is_file()
    assert (static_root / manifest["paths"]["admin/css/base.css"]).is_file()


def test_the_gunicorn_config_reads_the_environment(monkeypatch):
    for name in ("PORT", "GUNICORN_HOST", "WEB_CONCURRENCY", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    defaults = runpy.run_path(str(GUNICORN_CONF))
    monkeypatch.setenv("PORT", "9000")
    monkeypatch.setenv("GUNICORN_HOST", "0.0.0.0")  # noqa: S104 - the container case
    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    configured = runpy.run_path(str(GUNICORN_CONF))

    assert defaults["bind"] == ["127.0.0.1:8000"]
    assert defaults["workers"] == 2
    assert defaults["worker_class"] == "sync"
    assert defaults["timeout"] == 30
    assert defaults["accesslog"] == "-"  # stdout
    assert defaults["wsgi_app"] == "config.wsgi:application"
    assert configured["bind"] == ["0.0.0.0:9000"]
    assert configured["workers"] == 4


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - http on loopback
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status, dict(response.headers), response.read()


def test_gunicorn_serves_the_app_and_its_static_files_behind_a_tls_proxy(static_root, tmp_path):
    port = _free_port()
    env = clean_environment(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
        PORT=str(port),
        WEB_CONCURRENCY="1",
        **_production_env(static_root),
    )
    server = subprocess.Popen(  # noqa: S603 - this interpreter's gunicorn, fixed arguments
        [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF)],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stderr is not None
        for line in server.stderr:  # the socket is bound: requests now wait for the worker
            if "Listening at" in line:
                break
        else:
            pytest.fail("gunicorn stopped before listening")
        base = f"http://127.0.0.1:{port}"
        health = _get(f"{base}/healthz")
        manifest = json.loads((static_root / "staticfiles.json").read_text())
        bundle = _get(
            f"{base}/static/{manifest['paths'][SWAGGER_BUNDLE]}",
            **{"Accept-Encoding": "gzip", "X-Forwarded-Proto": "https"},
        )
    finally:
        server.terminate()
        access_log, _ = server.communicate(timeout=30)

    assert health[0] == 200
    assert json.loads(health[2]) == {"status": "ok"}
    status, headers, _ = bundle
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]
    assert '"GET /healthz HTTP/1.1" 200' in access_log
