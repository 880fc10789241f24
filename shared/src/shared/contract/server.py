"""The production server's configuration: gunicorn's config file read from the environment, and
``collectstatic`` writing hashed, pre-compressed files for WhiteNoise to serve.

WhiteNoise serves them with far-future cache headers and gzip, so a deployment needs no
separate web server for static files. Starting gunicorn for real is each project's own test
(what its health check says when not migrated differs).
"""

from __future__ import annotations

import gzip
import json
import re
import runpy
from pathlib import Path
from typing import Any

import pytest

from shared.contract import Deployment

GUNICORN_VARIABLES = ("PORT", "GUNICORN_HOST", "WEB_CONCURRENCY", "GUNICORN_TIMEOUT")


class GunicornConfigContract:
    """Subclass as ``TestGunicornConfig`` beside a ``deployment`` fixture."""

    @pytest.fixture
    def read_config(self, deployment: Deployment, monkeypatch: pytest.MonkeyPatch) -> Any:
        def read(**env: str) -> dict[str, Any]:
            for name in GUNICORN_VARIABLES:
                monkeypatch.delenv(name, raising=False)
            for name, value in env.items():
                monkeypatch.setenv(name, value)
            return runpy.run_path(str(deployment.gunicorn_config))

        return read

    def test_defaults_serve_the_project_on_loopback_port_8000_with_two_sync_workers(
        self, read_config: Any
    ) -> None:
        config = read_config()

        assert config["wsgi_app"] == "config.wsgi:application"
        assert config["bind"] == ["127.0.0.1:8000"]
        assert config["workers"] == 2
        assert config["worker_class"] == "sync"
        assert config["timeout"] == 30
        assert config["accesslog"] == "-"  # stdout

    def test_port_address_workers_and_timeout_come_from_the_environment(
        self, read_config: Any
    ) -> None:
        config = read_config(
            PORT="9001", GUNICORN_HOST="10.1.2.3", WEB_CONCURRENCY="4", GUNICORN_TIMEOUT="60"
        )

        assert config["bind"] == ["10.1.2.3:9001"]
        assert config["workers"] == 4
        assert config["timeout"] == 60


class StaticFilesContract:
    """Subclass as ``TestStaticFiles`` beside ``deployment`` and ``collected_static`` fixtures
    (STATIC_ROOT after a production ``collectstatic``)."""

    @pytest.fixture(scope="class")
    @classmethod
    def hashed(cls, deployment: Deployment, collected_static: Path) -> str:
        manifest = json.loads((collected_static / "staticfiles.json").read_text())
        name: str = manifest["paths"][deployment.static_file]
        return name

    def test_collectstatic_writes_a_manifest_of_hashed_names(
        self, deployment: Deployment, collected_static: Path, hashed: str
    ) -> None:
        stem, _, extension = deployment.static_file.rpartition(".")
        source = deployment.project_dir / "static" / deployment.static_file

        assert re.fullmatch(rf"{re.escape(stem)}\.[0-9a-f]{{12}}\.{extension}", hashed)
        assert (collected_static / hashed).read_bytes() == source.read_bytes()

    def test_collectstatic_writes_a_gzipped_copy_of_each_text_file(
        self, deployment: Deployment, collected_static: Path, hashed: str
    ) -> None:
        source = deployment.project_dir / "static" / deployment.static_file

        compressed = (collected_static / f"{hashed}.gz").read_bytes()

        assert gzip.decompress(compressed) == source.read_bytes()
