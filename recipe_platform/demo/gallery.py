"""Demo galleries: a few recipes with several photos, so the gallery shows on their pages.

Each "photo" is drawn with Pillow like the covers (``demo.artwork``), seeded by its own
description so every angle of a dish looks a little different, and goes through the upload
pipeline and the gallery's service like any cook's photo. Idempotent: a recipe that has
gallery photos already is left alone.
"""

from __future__ import annotations

from functools import cache

from django.core.files.base import ContentFile

from demo.artwork import Dish, draw_dish
from demo.catalogue import DEMO_RECIPES, DemoRecipe
from gallery import services
from gallery.models import RecipePhoto
from recipes import images
from recipes.models import Recipe

# The recipe's title, then each extra photo: its description and the dish it is drawn as.
DEMO_GALLERIES: dict[str, tuple[tuple[str, Dish], ...]] = {
    "Fluffy buttermilk pancakes": (
        ("The batter resting in a bowl, just whisked", "bowl"),
        ("A single pancake on a plate with blueberries", "plate"),
        ("A pancake cut open to show the fluffy inside", "slice"),
        ("The stack drizzled with maple syrup", "stack"),
    ),
    "Shakshuka": (
        ("The tomato and pepper sauce simmering", "bowl"),
        ("A portion served on a plate with bread", "plate"),
    ),
    "Lemon drizzle cake": (
        ("A slice of the cake with its sugar crust", "slice"),
        ("The whole cake glazed with lemon icing", "plate"),
        ("Three slices ready to share", "stack"),
    ),
}


def seed_galleries() -> int:
    """Add the demo galleries' photos to the recipes that have none yet; returns how many."""
    specs = {spec.title: spec for spec in DEMO_RECIPES}
    added = 0
    for title, photos in DEMO_GALLERIES.items():
        recipe = Recipe.objects.filter(title=title).first()
        if recipe is None or RecipePhoto.objects.filter(recipe=recipe).exists():
            continue
        for alt, dish in photos:
            image = _demo_photo(specs[title], alt, dish)
            services.add_photo(recipe=recipe, image=image, alt=alt)
            added += 1
    return added


@cache
def _demo_photo(spec: DemoRecipe, alt: str, dish: Dish) -> images.ProcessedImage:
    """Drawn once per process (the test suite loads the demo data many times)."""
    picture = draw_dish(alt, dish, list(spec.colours))
    return images.process_upload(ContentFile(picture, name="demo.jpg"))
