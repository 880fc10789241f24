"""Photos of old versions stay while a version names them, and go once none does."""

from datetime import timedelta

import pytest
from django.utils import timezone

from recipes import cleanup, history
from recipes.models import RecipeVersion, UnusedPhotoFile

pytestmark = pytest.mark.django_db


def test_the_clean_up_never_deletes_a_photo_a_version_names(
    publish, edit, media_files, django_capture_on_commit_callbacks
):
    recipe = publish()
    old_files = recipe.image_files
    with django_capture_on_commit_callbacks(execute=True):
        edit(recipe, photo=True)
    # Even recorded as unused by mistake and long due, a file a version names stays.
    UnusedPhotoFile.objects.release(old_files)
    UnusedPhotoFile.objects.update(delete_after=timezone.now() - timedelta(days=1))

    result = cleanup.delete_orphaned_images()

    assert result == {"deleted": 0, "failed": 0, "in_use": 2}
    assert set(old_files) <= set(media_files())
    assert not UnusedPhotoFile.objects.exists()


def test_a_photo_is_deleted_once_the_last_version_naming_it_is_pruned(
    publish, edit, media_files, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(history, "MAX_VERSIONS", 3)
    recipe = publish()  # version 1 shows the first photo
    first_photo = recipe.image_files
    with django_capture_on_commit_callbacks(execute=True):
        edit(recipe, photo=True)  # version 2: the second photo
        edit(recipe, title="Two")  # version 3
    assert set(first_photo) <= set(media_files())

    with django_capture_on_commit_callbacks(execute=True):
        edit(recipe, title="Three")  # version 4: version 1 goes, and its photo with it

    assert RecipeVersion.objects.filter(recipe=recipe).count() == 3
    assert set(first_photo).isdisjoint(media_files())
    recipe.refresh_from_db()
    assert set(recipe.image_files) <= set(media_files())


def test_pruning_keeps_a_photo_that_a_newer_version_still_names(
    publish, edit, media_files, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(history, "MAX_VERSIONS", 2)
    recipe = publish()
    files = recipe.image_files

    with django_capture_on_commit_callbacks(execute=True):
        edit(recipe, title="One")
        edit(recipe, title="Two")  # the published version goes; the photo is the same

    assert sorted(files) == media_files()
    assert not UnusedPhotoFile.objects.exists()


def test_deleting_a_recipe_deletes_the_photos_of_all_its_versions_after_commit(
    publish, edit, media_files, django_capture_on_commit_callbacks
):
    recipe = publish()
    with django_capture_on_commit_callbacks(execute=True):
        edit(recipe, photo=True)
        edit(recipe, photo=True)
    assert len(media_files()) == 6

    from recipes import services

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_recipe(recipe=recipe)

    assert media_files() == []
    assert not UnusedPhotoFile.objects.exists()


def test_a_deleted_authors_recipes_release_their_versions_photos(
    publish, edit, user, media_files, django_capture_on_commit_callbacks
):
    recipe = publish()
    with django_capture_on_commit_callbacks(execute=True):
        edit(recipe, photo=True)

    user.delete()  # the cascade calls no service: the clean-up deletes them

    assert sorted(UnusedPhotoFile.objects.values_list("name", flat=True)) == media_files()
    assert cleanup.delete_orphaned_images()["deleted"] == 4
    assert media_files() == []
