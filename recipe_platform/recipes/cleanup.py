"""Deleting the photo files no recipe uses: a recipe's old photo, abandoned uploads and holds.

Which files are unused is never guessed from the storage: every stored file is either named by a
recipe or recorded as an :class:`~recipes.models.UnusedPhotoFile` with the moment it may be
deleted (see ``recipes.images.store`` and ``recipes.services``). So the clean-up is a query on an
indexed column, the same work whatever the number of photos, and it is safe:

- a file is deleted only once its time is up (``delete_after``). A fresh upload's time is an hour
  away, a held photo's its token's 24 hours plus that hour, so no form that may still attach a
  file ever loses it; a recipe's old photo is due at once;
- a file a recipe names is never deleted, whatever the records say (checked again just before);
  nor is one that a kept version of a recipe names (``RecipeVersion``, ``recipes.history``);
- each file's record goes only after the storage confirmed the deletion, so a storage failure
  leaves the record for a later try (pushed back by :data:`RETRY_AFTER`, so a file that keeps
  failing does not hold up the others); running it twice deletes nothing twice;
- each run takes at most :data:`BATCH_SIZE` files, the oldest due first: the cost of a run is
  bounded however much is waiting, and the next run continues.

Files stored before these records existed are found by :func:`track_unrecorded_files`, which lists
the storage once (``manage.py delete_orphaned_images --scan-storage``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from recipes import images
from recipes.models import Recipe, RecipeVersion, UnusedPhotoFile

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
RETRY_AFTER = timedelta(hours=1)
# Only files older than this are taken for unrecorded by a storage scan: longer than any upload
# can wait for its recipe (a hold and its margin), so a file being stored right now is not one.
SCAN_MIN_AGE = timedelta(hours=48)

#: Other apps' answers to "which of these files do you name?" (the gallery's photos), added by
#: their ``AppConfig.ready()`` through :func:`register_file_references`: those apps import this
#: one, so it cannot import them.
_other_references: list[Callable[[set[str]], set[str]]] = []


def register_file_references(lookup: Callable[[set[str]], set[str]]) -> None:
    """Count the names ``lookup`` returns as used: such a file is never deleted."""
    if lookup not in _other_references:
        _other_references.append(lookup)


def delete_files(names: Iterable[str]) -> dict[str, int]:
    """Delete those of ``names`` that are recorded as unused and due; forget each one deleted.

    Returns counts: ``deleted``, ``failed`` (kept for a retry) and ``in_use`` (a recipe names it:
    never deleted, its record dropped). A name that is not due, or already gone, is left alone.
    """
    wanted = UnusedPhotoFile.objects.due().filter(name__in=set(names)).order_by()
    due = set(wanted.values_list("name", flat=True))
    in_use = _referenced(due)
    if in_use:
        logger.error("Photo files recorded as unused are used by a recipe; kept: %s", in_use)
    deletable = sorted(due - in_use)
    deleted = images.delete_files(deletable)
    UnusedPhotoFile.objects.filter(name__in=[*deleted, *in_use]).delete()
    failed = sorted(set(deletable) - set(deleted))
    if failed:
        UnusedPhotoFile.objects.filter(name__in=failed).update(
            delete_after=timezone.now() + RETRY_AFTER
        )
    return {"deleted": len(deleted), "failed": len(failed), "in_use": len(in_use)}


def delete_orphaned_images(*, limit: int | None = None) -> dict[str, int]:
    """Delete up to ``limit`` (:data:`BATCH_SIZE`) unused photo files whose time is up, the
    longest due first.

    The files of abandoned forms (fresh uploads, expired holds), of recipes whose deletion task
    was lost or failed, and of recipes deleted with their author. Safe at any time, any number
    of times, from any number of workers (the worst case is a file deleted twice, a no-op).
    """
    batch = UnusedPhotoFile.objects.due()[: BATCH_SIZE if limit is None else limit]
    names = list(batch.values_list("name", flat=True))
    return delete_files(names)


def track_unrecorded_files(*, older_than: timedelta = SCAN_MIN_AGE) -> int:
    """Record as due every photo file older than ``older_than`` that no recipe or record names.

    Lists the whole photo folder and asks each file's age (one request per file on S3): run by
    hand, once after upgrading to recorded files or when files were copied in from elsewhere.
    Returns how many it recorded; the next :func:`delete_orphaned_images` deletes them.
    """
    candidates = images.stored_before(timezone.now() - older_than)
    recorded = 0
    for start in range(0, len(candidates), BATCH_SIZE):  # bounded queries, whatever the count
        batch = set(candidates[start : start + BATCH_SIZE])
        known = _referenced(batch) | set(
            UnusedPhotoFile.objects.filter(name__in=batch).values_list("name", flat=True)
        )
        UnusedPhotoFile.objects.release(sorted(batch - known))
        recorded += len(batch - known)
    return recorded


def release_deleted_recipe_files(sender: type[Recipe], instance: Recipe, **kwargs: Any) -> None:
    """``post_delete`` receiver: a deleted recipe's photo files are unused from now on.

    A signal, because a recipe is also deleted by the cascade of deleting its author (the admin),
    which calls no service; it runs inside the deleting transaction, so a rolled-back deletion
    records nothing. ``recipes.services.delete_recipe`` also enqueues their deletion at once;
    otherwise the next clean-up run deletes them.
    """
    UnusedPhotoFile.objects.release(instance.image_files)


def in_use(names: Iterable[str]) -> set[str]:
    """Those of ``names`` that a recipe, a kept version of one, or a registered app names."""
    return _referenced(set(names))


def _referenced(names: set[str]) -> set[str]:
    """Those of ``names`` that a recipe uses, as its cover or in another registered way
    (:func:`register_file_references`: a gallery photo), or that a kept version names.

    Lookups on the columns' indexes (unique for the recipe's, plain for the versions'); those
    are partial (non-empty names only), and SQLite uses a partial index only when the query
    states its condition too.
    """
    if not names:
        return set()
    recipes = Recipe.objects.order_by()
    as_photo = recipes.filter(image__in=names).exclude(image="").values_list("image", flat=True)
    as_thumbnail = (
        recipes.filter(thumbnail__in=names)
        .exclude(thumbnail="")
        .values_list("thumbnail", flat=True)
    )
    used = set(as_photo) | set(as_thumbnail)
    versions = RecipeVersion.objects.order_by()
    used |= set(
        versions.filter(image__in=names - used).exclude(image="").values_list("image", flat=True)
    )
    used |= set(
        versions.filter(thumbnail__in=names - used)
        .exclude(thumbnail="")
        .values_list("thumbnail", flat=True)
    )
    for lookup in _other_references:
        used |= lookup(names - used)
    return used
