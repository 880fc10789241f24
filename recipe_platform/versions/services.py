"""Restoring a version of a recipe: an edit like any other, through ``save_recipe``.

Going through the edit service is what keeps everything that follows an edit right: the list's
page cache, the search (ingredient rows), the photo files' records, the community totals that
read the recipe, and the history itself, where the restore is recorded as the newest version.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import User
from recipes import history, services
from recipes.history import Snapshot
from recipes.models import Category, Recipe, RecipeVersion

# The fields a version gives back as they are; the categories and the photo need more care.
_PLAIN_FIELDS = (
    "title",
    "description",
    "instructions",
    "prep_minutes",
    "cook_minutes",
    "servings",
)


@dataclass(frozen=True)
class Restored:
    """What a restore did: ``changed`` is false when the recipe was like that already;
    ``missing_categories`` counts the version's categories deleted since (left out)."""

    changed: bool
    missing_categories: int = 0


def restore_version(*, recipe: Recipe, version: RecipeVersion, user: User) -> Restored:
    """Make ``recipe`` what ``version`` recorded: fields, categories, ingredient rows, photo.

    A category deleted since cannot come back; the recipe is restored without it and the
    caller says so. Raises ``ValidationError`` (``photo_gone``) if the version's photo stopped
    being kept meanwhile (the version was pruned by a concurrent edit): nothing is changed.
    """
    recipe.refresh_from_db()  # restore onto the recipe as saved, whatever the caller holds
    wanted = history.snapshot(version)
    if wanted == Snapshot.of_recipe(recipe):
        return Restored(changed=False)
    categories = list(Category.objects.filter(pk__in=wanted.category_ids))
    for name in _PLAIN_FIELDS:
        setattr(recipe, name, getattr(wanted, name))
    photo = wanted.photo
    services.save_recipe(
        recipe=recipe,
        categories=categories,
        kept_image=photo if photo and photo.display_name != recipe.image.name else None,
        remove_image=photo is None and recipe.has_image,
        image_alt=wanted.image_alt,
        ingredients=[line.parsed() for line in wanted.ingredients],
        editor=user,
        restored_from=version,
    )
    return Restored(changed=True, missing_categories=len(wanted.category_ids) - len(categories))
