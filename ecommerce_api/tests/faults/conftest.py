from __future__ import annotations

from pathlib import Path

import pytest
from shared.processes import collect_static

from tests.processes import PROJECT_DIR


@pytest.fixture(scope="session")
def static_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``collectstatic`` once for every fault test: production settings serve hashed files,
    the 503 page's stylesheet among them."""
    root = tmp_path_factory.mktemp("fault-static")
    collect_static(PROJECT_DIR, root, DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost")
    return root
