from __future__ import annotations

from pathlib import Path

import pytest
from shared.processes import PRODUCTION

from tests.faults.deployment import SeededDatabase, prepare
from tests.processes import copy_sqlite


@pytest.fixture(scope="session")
def static_root(collected_static: Path) -> Path:
    """The session's ``collectstatic`` output: the production settings serve hashed files, the
    503 page's stylesheet among them."""
    return collected_static


@pytest.fixture(scope="session")
def seeded_sqlite(
    migrated_sqlite: Path, tmp_path_factory: pytest.TempPathFactory
) -> SeededDatabase:
    """The session's migrated database with the fault tests' staff member, customer and ticket,
    seeded once; each test serves a copy (``SeededDatabase.copy``)."""
    path = tmp_path_factory.mktemp("seeded") / "db.sqlite3"
    database_url = copy_sqlite(migrated_sqlite, path)
    seed = prepare({**PRODUCTION, "DATABASE_URL": database_url}, migrate=False)
    return SeededDatabase(path, seed["ticket"])
