"""Recipes with a history, made through the real edit service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from shared.images import make_uploaded_image

from recipes import images, services
from recipes.ingredients import parse_lines
from recipes.models import Category, Recipe

EditRecipe = Callable[..., Recipe]


@pytest.fixture
def publish(user) -> Callable[..., Recipe]:
    """Publish a recipe as the site's form does: with a photo, rows and categories."""

    def build(author: Any = None, **fields: Any) -> Recipe:
        recipe = Recipe(
            author=author or user,
            title=fields.pop("title", "Sunday pancakes"),
            description="Fluffy and quick.",
            instructions="Whisk.\nRest.\nFry.",
            prep_minutes=10,
            cook_minutes=15,
            servings=4,
            **fields,
        )
        return services.save_recipe(
            recipe=recipe,
            categories=list(Category.objects.filter(slug="breakfast")),
            image=new_photo(),
            image_alt="A stack of pancakes",
            ingredients=parse_lines("250 g flour\n2 eggs\n400 ml milk"),
        )

    return build


@pytest.fixture
def edit() -> EditRecipe:
    """Edit a saved recipe through ``save_recipe``: fields, and optionally rows and photo."""

    def change(
        recipe: Recipe,
        *,
        ingredients: str | None = None,
        photo: bool = False,
        categories: list[Category] | None = None,
        **fields: Any,
    ) -> Recipe:
        recipe = Recipe.objects.get(pk=recipe.pk)
        for name, value in fields.items():
            setattr(recipe, name, value)
        return services.save_recipe(
            recipe=recipe,
            categories=list(recipe.categories.all()) if categories is None else categories,
            image=new_photo() if photo else None,
            image_alt=recipe.image_alt,
            ingredients=None if ingredients is None else parse_lines(ingredients),
            editor=recipe.author,
        )

    return change


def new_photo() -> images.ProcessedImage:
    return images.process_upload(make_uploaded_image(size=(640, 480)))
