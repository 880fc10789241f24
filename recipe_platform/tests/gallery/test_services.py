"""Adding, deleting, moving a gallery photo and making one the cover (``gallery.services``)."""

from __future__ import annotations

import errno
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from shared.images import make_uploaded_image

from gallery import services
from gallery.models import RecipePhoto
from recipes import images, page_cache
from recipes.models import UnusedPhotoFile
from tests.factories import RecipeFactory
from tests.gallery.conftest import alts

pytestmark = pytest.mark.django_db


def _upload():
    return images.process_upload(make_uploaded_image(size=(40, 30)))


def test_a_photo_is_stored_through_the_pipeline_at_the_end_of_the_gallery(
    recipe, add_photos, media_files
):
    add_photos(recipe, 1)

    photo = services.add_photo(recipe=recipe, image=_upload(), alt="The tart, sliced")

    assert photo.position == 1
    assert photo.image.name.endswith(".webp")
    assert photo.thumbnail.name.endswith("-thumb.webp")
    assert set(photo.files.names) <= set(media_files())
    assert not UnusedPhotoFile.objects.filter(name__in=photo.files.names).exists()


def test_the_eighth_photo_the_cover_included_is_accepted(recipe, add_photos):
    add_photos(recipe, 6)

    services.add_photo(recipe=recipe, image=_upload(), alt="The seventh after the cover")

    assert RecipePhoto.objects.filter(recipe=recipe).count() == 7


def test_the_ninth_photo_is_refused_and_its_files_are_not_kept(recipe, add_photos, media_files):
    add_photos(recipe, 7)
    files_before = media_files()

    with pytest.raises(ValidationError) as refused:
        services.add_photo(recipe=recipe, image=_upload(), alt="One too many")

    assert refused.value.code == "gallery_full"
    assert refused.value.messages == [
        "This recipe already has 8 photos, the most it can have (the cover included). "
        "Delete one to add another."
    ]
    assert RecipePhoto.objects.filter(recipe=recipe).count() == 7
    assert media_files() == files_before


def test_nothing_is_half_saved_when_the_storage_fails_mid_upload(recipe, media_files):
    """The disk fills up after the display size: no row, and the file written is removed."""
    real_save = default_storage.save
    written: list[str] = []

    def save(name, content, *args, **kwargs):
        if written:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(name)
        return real_save(name, content, *args, **kwargs)

    files_before = media_files()
    with (
        mock.patch.object(default_storage, "save", side_effect=save),
        pytest.raises(ValidationError) as refused,
    ):
        services.add_photo(recipe=recipe, image=_upload(), alt="Lost")

    assert refused.value.code == "not_stored"
    assert not RecipePhoto.objects.exists()
    assert media_files() == files_before
    assert not UnusedPhotoFile.objects.exists()


def test_deleting_a_photo_schedules_its_files_and_closes_the_gap(
    recipe, add_photos, media_files, django_capture_on_commit_callbacks
):
    first, second, third = add_photos(recipe, 3)

    with django_capture_on_commit_callbacks() as callbacks:
        services.delete_photo(photo=second)

    # Recorded as unused and due in the transaction; the files are still there for the task.
    assert set(UnusedPhotoFile.objects.due().values_list("name", flat=True)) == set(
        second.files.names
    )
    assert set(second.files.names) <= set(media_files())
    assert alts(recipe) == ["Photo 1", "Photo 3"]
    assert list(RecipePhoto.objects.filter(recipe=recipe).values_list("position", flat=True)) == [
        0,
        1,
    ]
    for callback in callbacks:  # the commit: the deletion task runs (immediate backend)
        callback()
    assert not set(second.files.names) & set(media_files())
    assert set(first.files.names) | set(third.files.names) <= set(media_files())
    assert not UnusedPhotoFile.objects.exists()


def test_moving_a_photo_up_swaps_it_with_the_one_before(recipe, add_photos):
    _first, _second, third = add_photos(recipe, 3)

    assert services.move_photo(photo=third, offset=-1)

    assert alts(recipe) == ["Photo 1", "Photo 3", "Photo 2"]
    moved = RecipePhoto.objects.get(pk=third.pk)  # the same photo, same row id, date and files
    assert (moved.position, moved.created, moved.files) == (1, third.created, third.files)


def test_moving_a_photo_down_swaps_it_with_the_one_after(recipe, add_photos):
    first, _second, _third = add_photos(recipe, 3)

    assert services.move_photo(photo=first, offset=1)

    assert alts(recipe) == ["Photo 2", "Photo 1", "Photo 3"]


def test_the_first_photo_cannot_move_up_nor_the_last_down(recipe, add_photos):
    first, _second, last = add_photos(recipe, 3)

    assert not services.move_photo(photo=first, offset=-1)
    assert not services.move_photo(photo=last, offset=1)
    assert alts(recipe) == ["Photo 1", "Photo 2", "Photo 3"]


def test_a_full_gallery_reorders_although_no_place_is_free(recipe, add_photos):
    photos = add_photos(recipe, 7)

    services.move_photo(photo=photos[6], offset=-1)
    services.move_photo(photo=photos[0], offset=1)

    assert alts(recipe) == [f"Photo {n}" for n in (2, 1, 3, 4, 5, 7, 6)]


def test_making_a_photo_the_cover_swaps_it_with_the_cover_and_their_descriptions(
    recipe, add_photos, media_files
):
    _first, second = add_photos(recipe, 2)
    old_cover = (recipe.image.name, recipe.thumbnail.name, recipe.image_alt)
    photo = (second.image.name, second.thumbnail.name, second.alt)
    files_before = media_files()

    services.make_cover(photo=second)

    recipe.refresh_from_db()
    second.refresh_from_db()
    assert (recipe.image.name, recipe.thumbnail.name, recipe.image_alt) == photo
    assert (recipe.image_width, recipe.thumbnail_width) == (40, 40)
    assert (second.image.name, second.thumbnail.name, second.alt) == old_cover
    assert (second.image_width, second.thumbnail_width) == (800, 400)
    assert second.position == 1  # the old cover takes the photo's place
    assert media_files() == files_before  # nothing stored, nothing deleted
    assert not UnusedPhotoFile.objects.exists()


def test_a_recipe_without_a_cover_takes_the_photo_and_the_others_move_up(add_photos, user):
    recipe = RecipeFactory.create(author=user)
    first, second, _third = add_photos(recipe, 3)

    services.make_cover(photo=first)

    recipe.refresh_from_db()
    assert (recipe.image.name, recipe.image_alt) == (first.image.name, "Photo 1")
    assert alts(recipe) == ["Photo 2", "Photo 3"]
    assert RecipePhoto.objects.get(pk=second.pk).position == 0


@pytest.mark.parametrize(
    "change",
    [
        lambda recipe, photos: services.add_photo(recipe=recipe, image=_upload(), alt="New"),
        lambda recipe, photos: services.delete_photo(photo=photos[0]),
        lambda recipe, photos: services.move_photo(photo=photos[1], offset=-1),
        lambda recipe, photos: services.make_cover(photo=photos[0]),
    ],
    ids=["add", "delete", "move", "make-cover"],
)
def test_every_gallery_change_starts_a_new_page_cache_generation(
    recipe, add_photos, change, django_capture_on_commit_callbacks
):
    photos = add_photos(recipe, 2)
    page_cache.invalidate()
    before = cache.get(page_cache.GENERATION_KEY)

    with django_capture_on_commit_callbacks(execute=True):
        change(recipe, photos)

    assert cache.get(page_cache.GENERATION_KEY) != before
