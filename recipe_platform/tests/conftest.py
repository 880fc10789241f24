from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from recipes.models import Category


@pytest.fixture
def categories(db: None) -> dict[str, Category]:
    """The default categories the data migration creates, by slug."""
    return {category.slug: category for category in Category.objects.all()}


@pytest.fixture
def media_files(media_root: Path) -> Callable[[], list[str]]:
    """A function listing every stored file (relative to MEDIA_ROOT) at the time it is called."""

    def list_files() -> list[str]:
        return sorted(
            path.relative_to(media_root).as_posix()
            for path in media_root.rglob("*")
            if path.is_file()
        )

    return list_files
