from __future__ import annotations

from collections.abc import Callable

import pytest
from shared.images import make_uploaded_image

from gallery import services
from gallery.models import RecipePhoto
from recipes import images
from recipes.models import Recipe
from tests.factories import RecipeFactory


@pytest.fixture
def recipe(user) -> Recipe:
    """``user``'s recipe, with its cover photo."""
    return RecipeFactory.create(author=user, title="Lemon tart", slug="lemon-tart", photo=True)


@pytest.fixture
def add_photos() -> Callable[..., list[RecipePhoto]]:
    """``add_photos(recipe, 3)``: that many photos added through the service, described
    "Photo 1", "Photo 2", ... (a small image each, through the real pipeline)."""

    def add(recipe: Recipe, count: int, *, first: int = 1) -> list[RecipePhoto]:
        return [
            services.add_photo(
                recipe=recipe,
                image=images.process_upload(make_uploaded_image(size=(40, 30))),
                alt=f"Photo {number}",
            )
            for number in range(first, first + count)
        ]

    return add


def alts(recipe: Recipe) -> list[str]:
    """The gallery's descriptions, in order."""
    return list(RecipePhoto.objects.filter(recipe=recipe).values_list("alt", flat=True))
