from pathlib import Path

import pytest

from tests.faults.deployment import Deployment, SeededSite


@pytest.fixture(scope="session")
def seeded_site(
    tmp_path_factory: pytest.TempPathFactory, collected_static: Path, migrated_database: Path
) -> SeededSite:
    """A SQLite deployment migrated and seeded once per session, for tests to copy."""
    folder = tmp_path_factory.mktemp("seeded-site")
    site = Deployment(folder, collected_static)
    slugs = site.prepare(migrated=migrated_database)
    return SeededSite(site.database, site.media_root, slugs)


@pytest.fixture
def deployment(tmp_path: Path, collected_static: Path) -> Deployment:
    """A deployment of this project in the test's folder, with the session's static files."""
    return Deployment(tmp_path, collected_static)
