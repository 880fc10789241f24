from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def static_root(collected_static: Path) -> Path:
    """The session's ``collectstatic`` output: production settings serve hashed files, the 503
    page's stylesheet among them."""
    return collected_static
