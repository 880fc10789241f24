"""Gallery files in the recipes app's record of unused files (``gallery.files``): a file a
gallery photo names is never deleted, and a deleted recipe's gallery files are recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest

from recipes import cleanup
from recipes import services as recipe_services
from recipes.models import UnusedPhotoFile

pytestmark = pytest.mark.django_db


def test_the_clean_up_never_deletes_a_file_a_gallery_photo_names(recipe, add_photos, media_files):
    (photo,) = add_photos(recipe, 1)
    # A wrong record, as a lost race or a bug would leave: due now, yet the photo names it.
    UnusedPhotoFile.objects.release(photo.files.names)

    counts = cleanup.delete_orphaned_images()

    assert counts == {"deleted": 0, "failed": 0, "in_use": 2}
    assert set(photo.files.names) <= set(media_files())
    assert not UnusedPhotoFile.objects.exists()


def test_a_storage_scan_does_not_take_gallery_files_for_unrecorded(recipe, add_photos):
    add_photos(recipe, 1)

    assert cleanup.track_unrecorded_files(older_than=-timedelta(hours=1)) == 0


def test_deleting_a_recipe_records_its_gallery_files_as_unused(
    recipe, add_photos, media_files, django_capture_on_commit_callbacks
):
    photos = add_photos(recipe, 2)
    gallery_files = {name for photo in photos for name in photo.files.names}

    with django_capture_on_commit_callbacks(execute=True):
        recipe_services.delete_recipe(recipe=recipe)

    assert set(UnusedPhotoFile.objects.due().values_list("name", flat=True)) == gallery_files
    cleanup.delete_orphaned_images()
    assert media_files() == []


def test_deleting_the_author_records_the_gallery_files_too(recipe, add_photos, user):
    photos = add_photos(recipe, 2)

    user.delete()  # the cascade: no service runs

    recorded = set(UnusedPhotoFile.objects.due().values_list("name", flat=True))
    assert {name for photo in photos for name in photo.files.names} <= recorded
