from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.importer.recipe_site import RecipeSite, running_site


@pytest.fixture
def site(settings) -> Iterator[RecipeSite]:
    """The local recipe website, and loopback allowed for it (the test-only setting)."""
    settings.RECIPE_IMPORT_ALLOW_LOOPBACK = True
    with running_site() as running:
        yield running
