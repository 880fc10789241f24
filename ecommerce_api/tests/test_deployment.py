"""The production way to run the project: collectstatic, then gunicorn with its config file.

Both run as they would on a server, in their own processes, with production settings and only
environment variables. The config file's defaults and the generic collectstatic rules are the
shared contract's (tests/test_contract.py); these are the shop's own files and server.
"""

from __future__ import annotations

import json

from shared.processes import PRODUCTION, clean_environment
from shared.servers import http_get, running_gunicorn

from tests.processes import PROJECT_DIR

SWAGGER_BUNDLE = "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"


def test_collectstatic_writes_hashed_and_compressed_files_with_a_manifest(collected_static):
    manifest = json.loads((collected_static / "staticfiles.json").read_text())

    hashed = manifest["paths"][SWAGGER_BUNDLE]
    assert hashed != SWAGGER_BUNDLE
    assert hashed.startswith(SWAGGER_BUNDLE.removesuffix(".js") + ".")
    assert (collected_static / hashed).is_file()
    assert (collected_static / f"{hashed}.gz").is_file()
    assert (collected_static / manifest["paths"]["admin/css/base.css"]).is_file()


def test_gunicorn_serves_the_app_and_its_static_files_behind_a_tls_proxy(
    collected_static, tmp_path
):
    env = clean_environment(
        "config.settings.production",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
        WEB_CONCURRENCY="1",
        DJANGO_STATIC_ROOT=str(collected_static),
        **{**PRODUCTION, "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost"},
    )
    manifest = json.loads((collected_static / "staticfiles.json").read_text())
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
