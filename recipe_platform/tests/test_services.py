from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from shared.factories import UserFactory
from shared.images import make_uploaded_image

from recipes import images, services
from recipes.models import Recipe, UnusedPhotoFile
from tests.factories import RecipeFactory

pytestmark = pytest.mark.django_db


def _processed():
    return images.process_upload(make_uploaded_image(size=(800, 600)))


def _new_recipe(**fields):
    defaults = {
        "author": UserFactory.create(),
        "title": "Pancakes",
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


def test_a_replaced_photo_is_kept_for_the_history_and_deleted_with_the_recipe_after_commit(
    media_files, django_capture_on_commit_callbacks
):
    recipe = RecipeFactory.create(photo=True)
    old_files = recipe.image_files

    with django_capture_on_commit_callbacks(execute=True):
        services.save_recipe(recipe=recipe, categories=[], image=_processed(), image_alt="New")
    recipe.refresh_from_db()
    new_files = recipe.image_files

    # The previous version shows the old photo: it stays, and is not recorded as unused.
    assert media_files() == sorted([*old_files, *new_files])
    assert not UnusedPhotoFile.objects.exists()

    with django_capture_on_commit_callbacks() as callbacks:
        services.delete_recipe(recipe=recipe)
        assert len(media_files()) == 4  # still there until the commit

    for callback in callbacks:
        callback()
    assert media_files() == []


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


def test_removing_a_photo_keeps_its_files_for_the_version_that_shows_it(
    media_files, django_capture_on_commit_callbacks
):
    recipe = RecipeFactory.create(photo=True)
    files = recipe.image_files

    with django_capture_on_commit_callbacks(execute=True):
        services.save_recipe(recipe=recipe, categories=[], remove_image=True)

    recipe.refresh_from_db()
    assert not recipe.has_image
    assert media_files() == sorted(files)
    assert _unused() == []


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


def _unused():
    return sorted(UnusedPhotoFile.objects.values_list("name", flat=True))


def test_a_saved_recipe_takes_its_new_files_off_the_unused_list(media_files):
    recipe = services.save_recipe(
        recipe=_new_recipe(), categories=[], image=_processed(), image_alt="Golden pancakes"
    )

    assert media_files() == sorted(recipe.image_files)
    assert _unused() == []


def test_a_held_photo_goes_to_one_recipe_only(media_files):
    held = images.store(_processed(), held=True)
    first = services.save_recipe(recipe=_new_recipe(), categories=[], image=held, image_alt="A")

    with pytest.raises(ValidationError) as error:
        services.save_recipe(recipe=_new_recipe(), categories=[], image=held, image_alt="B")

    assert error.value.code == "held_expired"
    assert list(Recipe.objects.all()) == [first]
    assert media_files() == sorted(first.image_files)


def test_a_held_photo_whose_time_is_up_is_refused():
    held = images.store(_processed(), held=True)
    later = timezone.now() + images.HELD_MAX_AGE + images.UNCLAIMED_MARGIN

    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        pytest.raises(ValidationError),
    ):
        services.save_recipe(recipe=_new_recipe(), categories=[], image=held, image_alt="A")

    assert not Recipe.objects.exists()


def test_a_photo_a_recipe_let_go_cannot_be_taken_again(django_capture_on_commit_callbacks):
    """A stale form still holding the token of a photo that went to a recipe and was replaced
    there must not bring back a file on its way to deletion."""
    held = images.store(_processed(), held=True)
    recipe = services.save_recipe(recipe=_new_recipe(), categories=[], image=held, image_alt="A")
    with django_capture_on_commit_callbacks():  # its deletion task has not run yet
        services.save_recipe(recipe=recipe, categories=[], image=_processed(), image_alt="B")

    with pytest.raises(ValidationError):
        services.save_recipe(recipe=_new_recipe(), categories=[], image=held, image_alt="C")


def test_the_files_moderation_removes_are_recorded_as_unused_in_its_transaction(
    media_files, django_capture_on_commit_callbacks
):
    recipe = RecipeFactory.create(photo=True)  # no version of it names the photo
    old_files = recipe.image_files

    with django_capture_on_commit_callbacks():  # nothing after the commit runs
        services.remove_images(recipes=[recipe])

    assert _unused() == sorted(old_files)
    assert UnusedPhotoFile.objects.due().count() == 2
    assert set(old_files) <= set(media_files())


def test_a_failed_edit_keeps_the_old_photo_and_removes_the_new_one(media_files):
    recipe = RecipeFactory.create(photo=True)
    old_files = recipe.image_files
    recipe.servings = 0  # the database refuses it

    with pytest.raises(IntegrityError):
        services.save_recipe(recipe=recipe, categories=[], image=_processed(), image_alt="New")

    assert media_files() == sorted(old_files)
    assert _unused() == []


def test_a_deleted_recipe_records_its_files_as_unused_even_without_the_service(media_files):
    recipe = RecipeFactory.create(photo=True)

    recipe.author.delete()  # the cascade of the admin's user deletion

    assert _unused() == sorted(recipe.image_files)
    assert UnusedPhotoFile.objects.due().count() == 2


def test_photo_files_are_deleted_by_a_task_after_the_commit(
    media_files, django_capture_on_commit_callbacks, database_tasks
):
    from django_tasks_db.models import DBTaskResult

    recipe = RecipeFactory.create(photo=True)

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_recipe(recipe=recipe)

    (task,) = DBTaskResult.objects.all()
    assert task.task_path == "recipes.tasks.delete_files"
    assert task.args_kwargs["kwargs"] == {"names": recipe.image_files}
    assert len(media_files()) == 2  # the worker deletes them, not the request


def test_an_unsaved_uploads_files_stay_recorded_when_even_their_removal_fails(media_files):
    recipe = _new_recipe(servings=0)

    with (
        mock.patch("recipes.services.cleanup.delete_files", side_effect=OSError("disk")),
        pytest.raises(IntegrityError),
    ):
        services.save_recipe(recipe=recipe, categories=[], image=_processed(), image_alt="x")

    assert len(media_files()) == 2
    assert _unused() == media_files()  # the clean-up deletes them later


def test_held_photos_are_recorded_for_their_hold_and_a_margin():
    moment = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=moment):
        fresh = images.store(_processed())
        held = images.store(_processed(), held=True)

    after = dict(UnusedPhotoFile.objects.values_list("name", "delete_after"))
    assert after[fresh.display_name] == moment + timedelta(hours=1)
    assert after[held.display_name] == moment + timedelta(hours=25)
