"""The production way to run the project: collectstatic, then gunicorn with its config file.

Both run as they would on a server, in their own processes, with production settings and only
environment variables. Together they take a few seconds, once for the module.
"""

from __future__ import annotations

import json
import runpy
from pathlib import Path

import pytest
from shared.processes import PRODUCTION, clean_environment, collect_static
from shared.servers import http_get, running_gunicorn

from tests.processes import PROJECT_DIR

GUNICORN_CONF = PROJECT_DIR / "config" / "gunicorn.conf.py"
SWAGGER_BUNDLE = "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"


@pytest.fixture(scope="module")
def static_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``collectstatic`` run once with production settings into a temporary STATIC_ROOT."""
    root = tmp_path_factory.mktemp("staticfiles")
    collect_static(PROJECT_DIR, root, DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost")
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


def test_gunicorn_serves_the_app_and_its_static_files_behind_a_tls_proxy(static_root, tmp_path):
    env = clean_environment(
        "config.settings.production",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
        WEB_CONCURRENCY="1",
        DJANGO_STATIC_ROOT=str(static_root),
        **{**PRODUCTION, "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost"},
    )
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    with running_gunicorn(PROJECT_DIR, env) as server:
        health = http_get(f"{server.address}/healthz")
        bundle = http_get(
            f"{server.address}/static/{manifest['paths'][SWAGGER_BUNDLE]}",
            **{"Accept-Encoding": "gzip", "X-Forwarded-Proto": "https"},
        )
        access_log = server.stop()

    assert health.status == 200
    assert json.loads(health.body)["database"] == "ok"  # not migrated: no queue table
    assert bundle.status == 200
    assert bundle.headers["Content-Encoding"] == "gzip"
    assert "immutable" in bundle.headers["Cache-Control"]
    assert '"GET /healthz HTTP/1.1" 200' in access_log
