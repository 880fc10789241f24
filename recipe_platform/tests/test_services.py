import io
import os
import time
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import IntegrityError
from shared.factories import UserFactory
from shared.images import make_uploaded_image

from recipes import images, services
from recipes.models import Recipe
from tests.factories import RecipeFactory

pytestmark = pytest.mark.django_db


def _processed():
    return images.process_upload(make_uploaded_image(size=(800, 600)))


def _new_recipe(**fields):
    defaults = {
        "author": UserFactory.create(),
        "title": "Pancakes",
        "ingredients": "flour\neggs",
        "instructions": "Mix.\nFry.",
        "prep_minutes": 5,
        "cook_minutes": 10,
        "servings": 2,
    }
    return Recipe(**{**defaults, **fields})


def test_save_recipe_creates_it_with_a_slug_from_the_title(categories):
    recipe = services.save_recipe(
        recipe=_new_recipe(title="Sunday Pancakes"), categories=[categories["breakfast"]]
    )

    recipe.refresh_from_db()
    assert recipe.slug == "sunday-pancakes"
    assert list(recipe.categories.all()) == [categories["breakfast"]]


def test_save_recipe_gives_a_second_recipe_of_the_same_title_a_suffix():
    services.save_recipe(recipe=_new_recipe(), categories=[])

    second = services.save_recipe(recipe=_new_recipe(), categories=[])

    assert second.slug == "pancakes-2"


def test_save_recipe_retries_when_another_recipe_takes_the_slug_meanwhile():
    RecipeFactory.create(slug="pancakes")
    free_slug = mock.Mock(side_effect=["pancakes", "pancakes-2"])

    with mock.patch.object(Recipe.objects, "free_slug", free_slug):
        recipe = services.save_recipe(recipe=_new_recipe(), categories=[])

    assert recipe.slug == "pancakes-2"


def test_save_recipe_gives_up_after_repeated_slug_collisions():
    RecipeFactory.create(slug="pancakes")

    with (
        mock.patch.object(Recipe.objects, "free_slug", return_value="pancakes"),
        pytest.raises(IntegrityError),
    ):
        services.save_recipe(recipe=_new_recipe(), categories=[])


def test_save_recipe_does_not_retry_other_integrity_errors():
    with pytest.raises(IntegrityError):
        services.save_recipe(recipe=_new_recipe(servings=0), categories=[])

    assert not Recipe.objects.exists()


def test_save_recipe_stores_a_new_photo(media_files):
    recipe = services.save_recipe(
        recipe=_new_recipe(), categories=[], image=_processed(), image_alt="Golden pancakes"
    )

    recipe.refresh_from_db()
    assert media_files() == sorted(recipe.image_files)
    assert recipe.image_alt == "Golden pancakes"
    assert (recipe.image_width, recipe.image_height) == (800, 600)
    assert (recipe.thumbnail_width, recipe.thumbnail_height) == (400, 300)


def test_save_recipe_attaches_a_photo_held_from_an_earlier_submit(media_files):
    held = images.store(_processed())

    recipe = services.save_recipe(
        recipe=_new_recipe(), categories=[], image=held, image_alt="Golden pancakes"
    )

    assert recipe.image_files == held.names
    assert media_files() == sorted(held.names)


def test_new_photo_files_are_removed_when_the_recipe_cannot_be_saved(media_files):
    with pytest.raises(IntegrityError):
        services.save_recipe(
            recipe=_new_recipe(servings=0), categories=[], image=_processed(), image_alt="x"
        )

    assert media_files() == []


def test_replacing_a_photo_removes_the_old_files_after_commit(
    media_files, django_capture_on_commit_callbacks
):
    recipe = RecipeFactory.create(photo=True)
    old_files = recipe.image_files

    with django_capture_on_commit_callbacks() as callbacks:
        services.save_recipe(recipe=recipe, categories=[], image=_processed(), image_alt="New")
        assert set(old_files) <= set(media_files())  # still there until the commit

    for callback in callbacks:
        callback()
    recipe.refresh_from_db()
    assert media_files() == sorted(recipe.image_files)
    assert set(old_files).isdisjoint(recipe.image_files)


def test_editing_the_text_keeps_the_photo_and_updates_its_alt_text(
    media_files, django_capture_on_commit_callbacks
):
    recipe = RecipeFactory.create(photo=True)
    files = recipe.image_files

    with django_capture_on_commit_callbacks(execute=True):
        services.save_recipe(recipe=recipe, categories=[], image_alt="Pancakes with jam")

    recipe.refresh_from_db()
    assert recipe.image_files == files
    assert recipe.image_alt == "Pancakes with jam"
    assert media_files() == sorted(files)


def test_removing_a_photo_deletes_its_files(media_files, django_capture_on_commit_callbacks):
    recipe = RecipeFactory.create(photo=True)

    with django_capture_on_commit_callbacks(execute=True):
        services.save_recipe(recipe=recipe, categories=[], remove_image=True)

    recipe.refresh_from_db()
    assert not recipe.has_image
    assert media_files() == []


def test_delete_recipe_removes_its_files_after_commit(
    media_files, django_capture_on_commit_callbacks
):
    recipe = RecipeFactory.create(photo=True)

    with django_capture_on_commit_callbacks() as callbacks:
        services.delete_recipe(recipe=recipe)
        assert len(media_files()) == 2

    for callback in callbacks:
        callback()
    assert not Recipe.objects.exists()
    assert media_files() == []


def test_remove_images_takes_the_photos_off_several_recipes(
    media_files, django_capture_on_commit_callbacks
):
    with_photos = RecipeFactory.create_batch(2, photo=True)
    without = RecipeFactory.create()

    with django_capture_on_commit_callbacks(execute=True):
        count = services.remove_images(recipes=[*with_photos, without])

    assert count == 2
    assert not Recipe.objects.with_image().exists()
    assert media_files() == []


def _age(names, hours):
    moment = time.time() - hours * 3600
    for name in names:
        os.utime(default_storage.path(name), (moment, moment))


def test_delete_orphaned_images_removes_old_unused_files_only(media_files):
    in_use = RecipeFactory.create(photo=True)
    old_orphan = images.store(_processed())
    new_orphan = images.store(_processed())
    _age([*in_use.image_files, *old_orphan.names], hours=72)

    deleted = services.delete_orphaned_images()

    assert deleted == sorted(old_orphan.names)
    assert media_files() == sorted([*in_use.image_files, *new_orphan.names])


def test_the_orphan_grace_period_outlives_a_held_upload():
    assert services.ORPHAN_GRACE > images.HELD_MAX_AGE


def test_delete_orphaned_images_command(media_files):
    orphan = images.store(_processed())
    _age(orphan.names, hours=3)

    call_command("delete_orphaned_images", "--older-than-hours", "2", stdout=io.StringIO())

    assert media_files() == []


def test_the_orphan_command_reports_what_it_did(capsys):
    call_command("delete_orphaned_images")

    assert "Deleted 0 unused photo file(s)." in capsys.readouterr().out
