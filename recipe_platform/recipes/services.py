"""The writes that touch a recipe and its photo files together.

Files cannot take part in a database transaction, so the order is fixed, and the database
records every file no recipe uses (``UnusedPhotoFile``) so that none is ever lost track of:

- new files are recorded as unused, then stored, before the transaction; the transaction that
  saves the recipe takes them (``claim``), so a rolled-back save leaves them recorded, and they
  are deleted at once (or, if even that fails, by the clean-up an hour later);
- files a change makes unused are recorded as such in the same transaction (``release``) and
  deleted by a background task enqueued after the commit (``recipes.tasks.delete_files``), so a
  page never waits for the storage (S3) and a rolled-back edit never points at a deleted photo.
  When the enqueue or the task fails, the scheduled clean-up deletes them (``recipes.cleanup``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from config.queue import enqueue_on_commit
from recipes import cleanup, history, images, tasks
from recipes.images import ProcessedImage, StoredImage
from recipes.ingredients import ParsedIngredient
from recipes.models import Category, Ingredient, Recipe, RecipeVersion, UnusedPhotoFile

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

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
    ingredients: Sequence[ParsedIngredient] | None = None,
    kept_image: StoredImage | None = None,
    editor: User | None = None,
    restored_from: RecipeVersion | None = None,
) -> Recipe:
    """Create or update ``recipe`` (built, unsaved, by a form) with its categories and photo.

    ``image`` replaces the photo (a new upload, or one already stored while the form was
    re-displayed); ``kept_image`` puts back the photo of a kept version (a restore,
    ``restored_from``); ``remove_image`` removes it; none of them keeps it. The change is
    recorded as the recipe's newest version, made by ``editor`` (the author unless said), the
    previous one being kept (``recipes.history``). The files a change makes unused, i.e. that
    neither the recipe nor a kept version names, are deleted by a task once the transaction
    has committed.

    Raises ``ValidationError``: ``not_stored`` when the storage fails to take a new photo (the
    recipe is then not saved, so no row points at a missing file), ``held_expired`` when a held
    photo can no longer be taken (it went to another recipe meanwhile, the same form submitted
    twice, or its time is up), ``photo_gone`` when no kept version names ``kept_image`` any
    more.
    """
    stored = images.store(image) if isinstance(image, ProcessedImage) else image
    replaced = stored or kept_image or remove_image
    old_files = recipe.image_files if replaced and recipe.pk else []
    try:
        with transaction.atomic():
            history.keep_first_version(recipe)
            if stored and not UnusedPhotoFile.objects.claim(stored.names):
                raise ValidationError(images.HELD_EXPIRED_MESSAGE, code="held_expired")
            if kept_image:
                history.check_photo_is_kept(recipe, kept_image)
                recipe.set_image(kept_image, alt=image_alt)
            elif stored:
                recipe.set_image(stored, alt=image_alt)
            elif remove_image:
                recipe.clear_image()
            elif recipe.has_image:
                recipe.image_alt = image_alt
            _save_with_free_slug(recipe)
            recipe.categories.set(categories)
            if ingredients is not None:
                replace_ingredients(recipe, ingredients)
            pruned = history.record(
                recipe, user=editor or recipe.author, restored_from=restored_from
            )
            _release([*old_files, *pruned])
    except Exception:
        if isinstance(image, ProcessedImage) and stored:
            _discard(stored.names)
        raise
    return recipe


def replace_ingredients(recipe: Recipe, rows: Sequence[ParsedIngredient]) -> None:
    """Give ``recipe`` exactly ``rows``, positions 1, 2, ...: two queries whatever the count."""
    recipe.ingredients.all().delete()
    built = []
    for position, row in enumerate(rows, start=1):
        ingredient = Ingredient(
            recipe=recipe, position=position, unit=row.unit, item=row.item, note=row.note
        )
        ingredient.quantity = row.quantity
        ingredient.quantity_max = row.quantity_max
        built.append(ingredient)
    Ingredient.objects.bulk_create(built)


def _release(names: list[str]) -> None:
    """Record files as unused in the current transaction; enqueue their deletion on commit.

    Those a recipe or a kept version still names are left alone: a replaced photo stays while
    the version that showed it is kept.
    """
    names = sorted(set(names) - cleanup.in_use(names))
    if names:
        UnusedPhotoFile.objects.release(names)
        enqueue_on_commit(tasks.delete_files, names=names)


def _discard(names: list[str]) -> None:
    """Delete the files of an upload whose recipe could not be saved, without hiding why."""
    try:
        UnusedPhotoFile.objects.release(names)
        cleanup.delete_files(names)
    except Exception:  # the database may be what failed: the clean-up deletes them later
        logger.exception("Could not delete the unsaved photo files %s now.", names)


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
    """Delete a recipe; a task deletes its photo files once the deletion has committed.

    The deletion itself records the files as unused, its versions' too
    (``cleanup.release_deleted_recipe_files``, ``history.release_deleted_recipe_versions``,
    which also cover the cascade of deleting a user); this only asks for them to go now.
    """
    files = recipe.image_files
    files += [name for name in history.kept_files(recipe) if name not in files]
    recipe.delete()
    if files:
        enqueue_on_commit(tasks.delete_files, names=files)


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
    _release(files)
    return changed


@transaction.atomic
def change_cover(
    *, recipe: Recipe, image: StoredImage, image_alt: str
) -> tuple[StoredImage, str] | None:
    """Make files the recipe already owns elsewhere (a gallery photo) its cover; returns the
    cover it had and its description (``None`` without one), for the caller to keep.

    No file is claimed or released: none stops being used, they change places (the gallery
    puts the old cover where the photo was, in the same transaction). Saving the recipe is
    what makes it a change of the recipe like an edit (the list's page cache, its history:
    the version before it is kept and the new cover recorded as the newest, by the author).
    """
    history.keep_first_version(recipe)
    previous = None
    if recipe.has_image:
        previous = (
            StoredImage(
                display_name=recipe.image.name or "",
                display_size=(recipe.image_width, recipe.image_height),
                thumbnail_name=recipe.thumbnail.name or "",
                thumbnail_size=(recipe.thumbnail_width, recipe.thumbnail_height),
            ),
            recipe.image_alt,
        )
    recipe.set_image(image, alt=image_alt)
    recipe.save(update_fields=_IMAGE_FIELDS)
    _release(history.record(recipe, user=recipe.author))
    return previous
