"""A demo recipe with an edit history: the cook's shakshuka, edited twice, once with a new photo."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from reversion.models import Revision

from demo.artwork import draw_dish
from demo.catalogue import CREAM, GREEN, TOMATO
from recipes import images, services
from recipes.ingredients import parse_lines
from recipes.models import Recipe, RecipeVersion

TITLE = "Shakshuka"


def seed_history() -> int:
    """Edit the shakshuka through the edit service, once; returns the versions it added.

    Left alone when the recipe is missing or has been edited already (more than one version).
    The versions are then spread over the past days, so the history reads like one.
    """
    recipe = Recipe.objects.filter(title=TITLE, author__username="cook").first()
    if recipe is None or RecipeVersion.objects.filter(recipe=recipe).count() > 1:
        return 0
    rows = [str(line) for line in recipe.scaled_ingredients()]
    recipe.description = "Eggs poached in a smoky, gently spiced tomato and pepper sauce."
    _save(recipe, ingredients=[*rows[:5], "1/2 tsp chilli flakes", *rows[5:]])
    photo = draw_dish(f"{TITLE} with feta", "bowl", [TOMATO, CREAM, GREEN, CREAM])
    recipe.refresh_from_db()
    _save(
        recipe,
        image=images.process_upload(ContentFile(photo, name="demo.jpg")),
        image_alt="A pan of shakshuka with eggs, crumbled feta and parsley",
    )
    versions = list(RecipeVersion.objects.filter(recipe=recipe).order_by("-revision_id"))
    now = timezone.now()
    for days, version in enumerate(versions):
        Revision.objects.filter(pk=version.pk).update(date_created=now - timedelta(days=3 * days))
    return len(versions) - 1


def _save(
    recipe: Recipe,
    *,
    ingredients: list[str] | None = None,
    image: images.ProcessedImage | None = None,
    image_alt: str | None = None,
) -> None:
    services.save_recipe(
        recipe=recipe,
        categories=list(recipe.categories.all()),
        image=image,
        image_alt=recipe.image_alt if image_alt is None else image_alt,
        ingredients=None if ingredients is None else parse_lines("\n".join(ingredients)),
        editor=recipe.author,
    )
