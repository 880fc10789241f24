"""The writes that touch a recipe and its photo files together.

Files cannot take part in a database transaction, so the order is fixed: new files are stored
before the transaction; old files are deleted only after it commits (``on_commit``), so a
rolled-back edit never leaves a recipe pointing at a deleted photo. A crash in between leaves,
at worst, an unreferenced file, which :func:`delete_orphaned_images` removes later.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from recipes import images
from recipes.images import ProcessedImage, StoredImage
from recipes.models import Category, Recipe

# Longer than a held upload lives (images.HELD_MAX_AGE), so a photo waiting in a form is safe.
ORPHAN_GRACE = timedelta(hours=48)
_SLUG_ATTEMPTS = 5
_IMAGE_FIELDS = [
    "image",
    "image_width",
    "image_height",
    "thumbnail",
    "thumbnail_width",
    "thumbnail_height",
    "image_alt",
    "updated",
]


def save_recipe(
    *,
    recipe: Recipe,
    categories: Iterable[Category],
    image: ProcessedImage | StoredImage | None = None,
    image_alt: str = "",
    remove_image: bool = False,
) -> Recipe:
    """Create or update ``recipe`` (built, unsaved, by a form) with its categories and photo.

    ``image`` replaces the photo (a new upload, or one already stored while the form was
    re-displayed); ``remove_image`` removes it; neither keeps it. The files a change makes
    unused are deleted once the transaction has committed.
    """
    stored = images.store(image) if isinstance(image, ProcessedImage) else image
    old_files = recipe.image_files if (stored or remove_image) and recipe.pk else []
    if stored:
        recipe.set_image(stored, alt=image_alt)
    elif remove_image:
        recipe.clear_image()
    elif recipe.has_image:
        recipe.image_alt = image_alt
    try:
        with transaction.atomic():
            _save_with_free_slug(recipe)
            recipe.categories.set(categories)
            transaction.on_commit(partial(images.delete_files, old_files), robust=True)
    except Exception:
        if isinstance(image, ProcessedImage) and stored:
            images.delete_files(stored.names)
        raise
    return recipe


def _save_with_free_slug(recipe: Recipe) -> None:
    """Save, choosing a free slug for a new recipe; retried if another one takes it meanwhile."""
    if not recipe._state.adding:
        recipe.save()
        return
    for attempt in range(1, _SLUG_ATTEMPTS + 1):
        recipe.slug = Recipe.objects.free_slug(recipe.title)
        try:
            with transaction.atomic():
                recipe.save()
        except IntegrityError:
            if attempt == _SLUG_ATTEMPTS or not Recipe.objects.filter(slug=recipe.slug).exists():
                raise
        else:
            return


@transaction.atomic
def delete_recipe(*, recipe: Recipe) -> None:
    """Delete a recipe; its photo files go once the deletion has committed."""
    files = recipe.image_files
    recipe.delete()
    transaction.on_commit(partial(images.delete_files, files), robust=True)


@transaction.atomic
def remove_images(*, recipes: Iterable[Recipe]) -> int:
    """Take the photos off several recipes (admin moderation); returns how many had one."""
    files: list[str] = []
    changed = 0
    for recipe in recipes:
        if recipe.has_image:
            files += recipe.image_files
            recipe.clear_image()
            recipe.save(update_fields=_IMAGE_FIELDS)
            changed += 1
    transaction.on_commit(partial(images.delete_files, files), robust=True)
    return changed


def delete_orphaned_images(*, older_than: timedelta = ORPHAN_GRACE) -> list[str]:
    """Delete photo files no recipe uses that are older than ``older_than``; returns their names.

    They come from forms abandoned with a held photo, and from recipes deleted together with
    their author.
    """
    candidates = images.stored_before(timezone.now() - older_than)
    in_use = set(Recipe.objects.values_list("image", flat=True)) | set(
        Recipe.objects.values_list("thumbnail", flat=True)
    )
    orphans = [name for name in candidates if name not in in_use]
    images.delete_files(orphans)
    return orphans
