from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.cache import cache
from shared.processes import collect_static

from recipes.models import Category
from tests.processes import PROJECT_DIR


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Each test starts with an empty cache: no page cached by an earlier test is served."""
    cache.clear()


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


@pytest.fixture
def recipe_data() -> Callable[..., dict[str, object]]:
    """POST data for a valid recipe form; keyword arguments override or add fields."""

    def build(**overrides: object) -> dict[str, object]:
        data: dict[str, object] = {
            "title": "Sunday pancakes",
            "description": "Fluffy and quick.",
            "ingredients": "250 g flour\n2 eggs\n400 ml milk",
            "instructions": "Whisk.\nRest.\nFry.",
            "prep_minutes": 10,
            "cook_minutes": 15,
            "servings": 4,
            "image_alt": "",
            "held_image": "",
        }
        data.update(overrides)
        return data

    return build


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """STATIC_ROOT after ``collectstatic`` with the production settings (run once per session)."""
    static_root = tmp_path_factory.mktemp("staticfiles")
    collect_static(PROJECT_DIR, static_root)
    return static_root
