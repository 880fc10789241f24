"""The photo clean-up (recipes.cleanup, its tasks and ``manage.py delete_orphaned_images``).

What it must guarantee: a file no recipe uses goes once its time is up (an abandoned upload an
hour after it was stored, a held photo once its hold and that hour are over, a recipe's old photo
at once), a file a recipe uses never goes, a second run does nothing, and one run does a bounded
amount of work whatever is waiting.
"""

import io
import logging
import os
import time
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from shared.factories import UserFactory
from shared.images import make_uploaded_image

from recipes import cleanup, images, services, tasks
from recipes.models import Recipe, UnusedPhotoFile
from tests.factories import RecipeFactory

pytestmark = pytest.mark.django_db

HOLD_ENDS = images.HELD_MAX_AGE + images.UNCLAIMED_MARGIN


def _processed():
    return images.process_upload(make_uploaded_image(size=(800, 600)))


def _unused():
    return sorted(UnusedPhotoFile.objects.values_list("name", flat=True))


@contextmanager
def _clock_at(moment):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _sweep_at(moment, **kwargs):
    with _clock_at(moment):
        return cleanup.delete_orphaned_images(**kwargs)


NOTHING = {"deleted": 0, "failed": 0, "in_use": 0}


def test_an_abandoned_held_photo_is_kept_for_its_hold_then_deleted(media_files):
    start = timezone.now()
    with _clock_at(start):
        held = images.store(_processed(), held=True)

    assert _sweep_at(start + images.HELD_MAX_AGE) == NOTHING  # its token is still good
    assert _sweep_at(start + HOLD_ENDS - timedelta(seconds=1)) == NOTHING
    assert media_files() == sorted(held.names)

    assert _sweep_at(start + HOLD_ENDS) == {"deleted": 2, "failed": 0, "in_use": 0}
    assert media_files() == []
    assert _unused() == []


def test_a_held_photo_attached_at_the_last_moment_is_never_deleted(media_files):
    start = timezone.now()
    with _clock_at(start):
        held = images.store(_processed(), held=True)
    with _clock_at(start + images.HELD_MAX_AGE - timedelta(seconds=1)):
        recipe = services.save_recipe(
            recipe=RecipeFactory.build(author=UserFactory.create()),
            categories=[],
            image=held,
            image_alt="Soup",
        )

    assert _sweep_at(start + timedelta(days=30)) == NOTHING
    assert media_files() == sorted(recipe.image_files)


def test_an_upload_whose_recipe_was_never_saved_goes_an_hour_later(media_files):
    """A worker killed between storing a photo and saving its recipe leaves this behind."""
    start = timezone.now()
    with _clock_at(start):
        images.store(_processed())

    assert _sweep_at(start + timedelta(minutes=59)) == NOTHING
    assert _sweep_at(start + timedelta(hours=1))["deleted"] == 2
    assert media_files() == []


def test_the_photo_of_a_recipe_deleted_with_its_author_goes_at_the_next_run(media_files):
    recipe = RecipeFactory.create(photo=True)
    kept = RecipeFactory.create(photo=True)

    recipe.author.delete()

    assert media_files() == sorted([*recipe.image_files, *kept.image_files])
    assert tasks.delete_orphaned_images.call()["deleted"] == 2
    assert media_files() == sorted(kept.image_files)


def _delete_and_roll_back(recipe):
    with transaction.atomic():
        recipe.delete()
        raise RuntimeError("rolled back")


def test_a_rolled_back_deletion_records_nothing():
    recipe = RecipeFactory.create(photo=True)

    with pytest.raises(RuntimeError):
        _delete_and_roll_back(recipe)

    assert _unused() == []


def test_a_file_a_recipe_uses_is_never_deleted_whatever_the_records_say(media_files, caplog):
    recipe = RecipeFactory.create(photo=True)
    UnusedPhotoFile.objects.release(recipe.image_files)  # a record that is wrong

    with caplog.at_level(logging.ERROR, logger="recipes.cleanup"):
        counts = cleanup.delete_orphaned_images()

    assert counts == {"deleted": 0, "failed": 0, "in_use": 2}
    assert media_files() == sorted(recipe.image_files)
    assert _unused() == []  # the wrong record is dropped
    assert recipe.image.name in caplog.text


def test_running_the_clean_up_twice_deletes_nothing_twice(
    media_files, django_capture_on_commit_callbacks
):
    recipe = RecipeFactory.create(photo=True)
    files = recipe.image_files
    with django_capture_on_commit_callbacks(execute=True):  # the immediate backend runs the task
        services.delete_recipe(recipe=recipe)

    assert media_files() == []
    assert tasks.delete_files.call(names=files) == NOTHING
    assert cleanup.delete_orphaned_images() == NOTHING


def test_delete_files_leaves_files_that_are_not_due(media_files):
    held = images.store(_processed(), held=True)

    assert tasks.delete_files.call(names=held.names) == NOTHING
    assert media_files() == sorted(held.names)


def test_each_run_takes_a_bounded_batch_the_longest_due_first(media_files):
    recipes = RecipeFactory.create_batch(3, photo=True)
    start = timezone.now()
    for hours, recipe in enumerate(recipes):
        with _clock_at(start + timedelta(hours=hours)):
            recipe.delete()
    later = start + timedelta(hours=3)

    assert _sweep_at(later, limit=4)["deleted"] == 4
    assert media_files() == sorted(recipes[2].image_files)
    assert _sweep_at(later, limit=4)["deleted"] == 2
    assert media_files() == []


def test_a_file_the_storage_cannot_delete_is_tried_again_later(media_files):
    recipe = RecipeFactory.create(photo=True)
    stuck, freed = recipe.image_files
    recipe.delete()
    real_delete = default_storage.delete

    def delete(name):
        if name == stuck:
            raise OSError("permission denied")
        real_delete(name)

    with mock.patch.object(default_storage, "delete", side_effect=delete):
        assert cleanup.delete_orphaned_images() == {"deleted": 1, "failed": 1, "in_use": 0}

    assert media_files() == [stuck]
    assert cleanup.delete_orphaned_images() == NOTHING  # not before its retry is due
    retry = timezone.now() + cleanup.RETRY_AFTER
    assert _sweep_at(retry)["deleted"] == 1
    assert media_files() == []
    assert freed not in _unused()


def test_a_lost_deletion_task_is_caught_up_by_the_clean_up(
    user, user_client, recipe_data, media_files, unreachable_rq, django_capture_on_commit_callbacks
):
    """Redis is down while a cook deletes a recipe: the page still works, the files go later."""
    recipe = RecipeFactory.create(author=user, photo=True)
    files = recipe.image_files

    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.post(f"/recipes/{recipe.slug}/delete/")

    assert response.status_code == 302
    assert media_files() == sorted(files)
    assert cleanup.delete_orphaned_images()["deleted"] == 2
    assert media_files() == []


# --- Files stored before the records existed ----------------------------------------------------


def _age(names, hours):
    moment = time.time() - hours * 3600
    for name in names:
        os.utime(default_storage.path(name), (moment, moment))


def _unrecorded(stored):
    UnusedPhotoFile.objects.filter(name__in=stored.names).delete()
    return stored


def test_a_storage_scan_records_old_unrecorded_unused_files_only(media_files):
    legacy = _unrecorded(images.store(_processed()))
    young = _unrecorded(images.store(_processed()))
    in_use = RecipeFactory.create(photo=True)
    held = images.store(_processed(), held=True)
    _age([*legacy.names, *in_use.image_files, *held.names], hours=72)

    with mock.patch.object(cleanup, "BATCH_SIZE", 3):  # the listing is checked 3 names a query
        assert cleanup.track_unrecorded_files() == 2

    assert UnusedPhotoFile.objects.due().filter(name__in=legacy.names).count() == 2
    assert cleanup.delete_orphaned_images()["deleted"] == 2
    assert media_files() == sorted([*young.names, *in_use.image_files, *held.names])


def test_a_storage_scan_of_an_empty_storage_finds_nothing():
    assert cleanup.track_unrecorded_files() == 0


def test_the_command_deletes_everything_due_batch_after_batch(media_files, capsys):
    for recipe in RecipeFactory.create_batch(3, photo=True):
        recipe.delete()

    batches = []
    sweep = cleanup.delete_orphaned_images

    def counted_sweep():
        batches.append(sweep())
        return batches[-1]

    with (
        mock.patch.object(cleanup, "BATCH_SIZE", 4),
        mock.patch.object(cleanup, "delete_orphaned_images", side_effect=counted_sweep),
    ):
        call_command("delete_orphaned_images")

    assert [batch["deleted"] for batch in batches] == [4, 2, 0]
    assert media_files() == []
    assert capsys.readouterr().out == "Deleted 6 unused photo file(s).\n"


def test_the_command_can_scan_the_storage_first(media_files):
    legacy = _unrecorded(images.store(_processed()))
    _age(legacy.names, hours=3)
    out = io.StringIO()

    call_command("delete_orphaned_images", "--scan-storage", "--older-than-hours", "2", stdout=out)

    assert out.getvalue().splitlines() == [
        "Found 2 unrecorded unused photo file(s).",
        "Deleted 2 unused photo file(s).",
    ]
    assert media_files() == []


def test_the_command_reports_files_it_could_not_delete(media_files):
    RecipeFactory.create(photo=True).delete()
    out, err = io.StringIO(), io.StringIO()

    with mock.patch.object(default_storage, "delete", side_effect=OSError("read-only")):
        call_command("delete_orphaned_images", stdout=out, stderr=err)

    assert out.getvalue() == "Deleted 0 unused photo file(s).\n"
    assert err.getvalue() == "2 could not be deleted; they are tried again later.\n"
    assert len(media_files()) == 2


def test_the_scan_waits_longer_than_any_upload_can():
    assert cleanup.SCAN_MIN_AGE > HOLD_ENDS


def test_no_two_recipes_can_share_a_thumbnail():
    """Deleting one recipe's files never breaks another's; the clean-up's lookups use it too."""
    recipe = RecipeFactory.create(photo=True)
    other = RecipeFactory.create(photo=True)

    with pytest.raises(IntegrityError):
        Recipe.objects.filter(pk=other.pk).update(thumbnail=recipe.thumbnail.name)
