"""Adding, deleting, moving a gallery photo, and making one the cover.

Every write locks the recipe's row first (``select_for_update``; on SQLite the IMMEDIATE
transaction already runs writers one at a time), then reads the gallery, so two requests at once
(two uploads, an upload and a deletion) see each other's result: two uploads to a gallery with
one free place cannot both take it. The database refuses an eighth row anyway (a position is
unique per recipe and below 7), so a bug here would be an error, never a ninth photo.

Files follow the recipes app's rules (``recipes.services``): a new photo is stored before the
transaction, recorded as unused until the transaction takes it (``claim``), and removed at once
if the transaction fails; a deleted photo's files are recorded as unused in the transaction
(``release``) and deleted by the background task after the commit, never in the request.

Each change starts a new generation of the anonymous page cache, as a recipe's edit does: no
cached page outlives a photo it shows.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction

from config.queue import enqueue_on_commit
from gallery.models import GALLERY_FULL_MESSAGE, MAX_GALLERY_PHOTOS, RecipePhoto
from recipes import cleanup, images, page_cache, tasks
from recipes import services as recipe_services
from recipes.images import ProcessedImage
from recipes.models import Recipe, UnusedPhotoFile

logger = logging.getLogger(__name__)


def is_full(recipe: Recipe) -> bool:
    """Whether the gallery has no free place (read without a lock: for the form's early no)."""
    return RecipePhoto.objects.filter(recipe=recipe).count() >= MAX_GALLERY_PHOTOS


def add_photo(*, recipe: Recipe, image: ProcessedImage, alt: str) -> RecipePhoto:
    """Store ``image`` and add it to the end of ``recipe``'s gallery.

    Raises ``ValidationError``: ``gallery_full`` when the recipe has its eight photos already
    (nothing is kept: the files just stored are deleted again), ``not_stored`` when the storage
    fails (nothing was saved).
    """
    stored = images.store(image)
    try:
        with transaction.atomic():
            _lock(recipe)
            count = RecipePhoto.objects.filter(recipe=recipe).count()
            if count >= MAX_GALLERY_PHOTOS:
                raise ValidationError(GALLERY_FULL_MESSAGE, code="gallery_full")
            if not UnusedPhotoFile.objects.claim(stored.names):
                raise ValidationError(images.HELD_EXPIRED_MESSAGE, code="held_expired")
            photo = RecipePhoto(recipe=recipe, position=count)
            photo.set_files(stored, alt=alt)
            photo.save(force_insert=True)
            page_cache.invalidate_after_write()
    except Exception:
        _discard(stored.names)
        raise
    return photo


@transaction.atomic
def delete_photo(*, photo: RecipePhoto) -> None:
    """Delete ``photo``; the photos after it move up a place, so the positions stay 0, 1, ...

    Its files are recorded as unused now and deleted by a task after the commit.
    """
    _lock(photo.recipe)
    photo = RecipePhoto.objects.get(pk=photo.pk)  # as it is now that the gallery is ours
    names = photo.files.names
    photo.delete()
    _close_gap(photo)
    UnusedPhotoFile.objects.release(names)
    enqueue_on_commit(tasks.delete_files, names=names)
    page_cache.invalidate_after_write()


@transaction.atomic
def move_photo(*, photo: RecipePhoto, offset: int) -> bool:
    """Swap ``photo`` with its neighbour ``offset`` places away (-1: up, 1: down).

    ``False`` when there is none (the first photo cannot move up, the last down): nothing
    changes. Two rows cannot trade places by updating them: the unique (recipe, position) is
    checked after each row, on SQLite and on PostgreSQL alike (SQLite cannot defer it), and a
    full gallery has no free place to park one in. So the photo's row leaves, its neighbour
    takes its place, and it comes back, same id and date, at the neighbour's.
    """
    _lock(photo.recipe)
    photo = RecipePhoto.objects.get(pk=photo.pk)
    neighbour = RecipePhoto.objects.filter(
        recipe_id=photo.recipe_id, position=photo.position + offset
    ).first()
    if neighbour is None:
        return False
    RecipePhoto.objects.filter(pk=photo.pk).delete()
    RecipePhoto.objects.filter(pk=neighbour.pk).update(position=photo.position)
    photo.position = neighbour.position
    photo.save(force_insert=True)
    page_cache.invalidate_after_write()
    return True


@transaction.atomic
def make_cover(*, photo: RecipePhoto) -> None:
    """Make ``photo`` the recipe's cover: the cover takes the photo's place in the gallery.

    Both keep their description (alt text travels with its photo). The recipe is saved through
    ``recipes.services.change_cover``, so it is a change of the recipe like an edit. A recipe
    without a cover (from before the photo was required) just takes the photo, and the photos
    after it move up a place.
    """
    recipe = _lock(photo.recipe)
    photo = RecipePhoto.objects.get(pk=photo.pk)
    previous = recipe_services.change_cover(recipe=recipe, image=photo.files, image_alt=photo.alt)
    if previous is None:
        photo.delete()
        _close_gap(photo)
    else:
        old_cover, old_alt = previous
        photo.set_files(old_cover, alt=old_alt)
        photo.save()
    page_cache.invalidate_after_write()


def _lock(recipe: Recipe) -> Recipe:
    """The recipe's row, locked until the transaction ends; ``Recipe.DoesNotExist`` if gone."""
    return Recipe.objects.select_for_update().get(pk=recipe.pk)


def _close_gap(removed: RecipePhoto) -> None:
    """Move the photos after ``removed`` up a place (at most six short updates).

    One row at a time, first to last: each moves into the place just freed, so the unique
    (recipe, position) holds after every statement (SQLite and PostgreSQL check it per row).
    """
    later = RecipePhoto.objects.filter(recipe_id=removed.recipe_id, position__gt=removed.position)
    for position, pk in later.order_by("position").values_list("position", "pk"):
        RecipePhoto.objects.filter(pk=pk).update(position=position - 1)


def _discard(names: list[str]) -> None:
    """Delete the files of a photo that could not be added, or leave them to the clean-up."""
    try:
        UnusedPhotoFile.objects.release(names)
        cleanup.delete_files(names)
    except Exception:  # the database may be what failed: the clean-up deletes them later
        logger.exception("Could not delete the unsaved photo files %s now.", names)
