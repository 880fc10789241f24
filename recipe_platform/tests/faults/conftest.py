from pathlib import Path

import pytest

from tests.faults.deployment import Deployment


@pytest.fixture
def deployment(tmp_path: Path, collected_static: Path) -> Deployment:
    """A deployment of this project in the test's folder, with the session's static files."""
    return Deployment(tmp_path, collected_static)
