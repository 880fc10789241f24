"""How the gallery's photo files take part in the recipes app's record of unused files.

Every stored photo file is named by a recipe, by a gallery photo, or recorded as an
``UnusedPhotoFile`` (``recipes.cleanup``). The recipes app cannot import this app (it imports
the recipes app), so what it needs from here is connected in ``GalleryConfig.ready()``: the
clean-up's last check, "is this file still named?", asks :func:`named_by_photos` too, and a
recipe about to be deleted records its gallery's files as unused.
"""

from __future__ import annotations

from typing import Any

from gallery.models import RecipePhoto
from recipes.models import Recipe, UnusedPhotoFile


def named_by_photos(names: set[str]) -> set[str]:
    """Those of ``names`` that a gallery photo uses (two lookups on indexed columns)."""
    if not names:
        return set()
    photos = RecipePhoto.objects.order_by()
    as_photo = photos.filter(image__in=names).values_list("image", flat=True)
    as_thumbnail = photos.filter(thumbnail__in=names).values_list("thumbnail", flat=True)
    return set(as_photo) | set(as_thumbnail)


def release_deleted_recipe_photos(sender: type[Recipe], instance: Recipe, **kwargs: Any) -> None:
    """``pre_delete`` receiver: a recipe's gallery files are unused once it is deleted.

    A receiver, because a recipe is also deleted by the cascade of deleting its author, which
    calls no service; ``pre_delete`` because the photos' rows are gone by ``post_delete``. It
    runs in the deleting transaction, so a rolled-back deletion records nothing; the next
    clean-up run deletes the files.
    """
    names = [
        name
        for pair in RecipePhoto.objects.filter(recipe=instance).values_list("image", "thumbnail")
        for name in pair
    ]
    if names:
        UnusedPhotoFile.objects.release(names)
