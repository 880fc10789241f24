"""The photo storage failing while a photo is saved: a form error, never a 500, and no recipe
pointing at a file that is not there. (S3 refusing the request: ``test_object_storage.py``.)"""

import errno
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from pytest_django.asserts import assertContains
from shared.images import make_uploaded_image

from recipes import images
from recipes.models import Recipe, UnusedPhotoFile
from tests.factories import RecipeFactory

pytestmark = pytest.mark.django_db

NEW_URL = "/recipes/new/"


@pytest.fixture
def full_disk():
    """The disk fills up after the first of a photo's two files: the thumbnail cannot be saved."""
    real_save = default_storage.save
    calls = []

    def save(name, content, *args, **kwargs):
        calls.append(name)
        if len(calls) % 2 == 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_save(name, content, *args, **kwargs)

    with mock.patch.object(default_storage, "save", side_effect=save):
        yield calls


@pytest.fixture
def unusable_media_root(settings, tmp_path):
    """MEDIA_ROOT under a plain file: every write fails with a real OSError, even as root."""
    in_the_way = tmp_path / "not-a-folder"
    in_the_way.write_text("")
    settings.MEDIA_ROOT = str(in_the_way / "media")


def test_a_full_disk_is_a_form_error_and_leaves_nothing_behind(
    full_disk, user_client, recipe_data, media_files
):
    response = user_client.post(NEW_URL, recipe_data(image=make_uploaded_image(), image_alt="A"))

    assertContains(response, images.NOT_STORED_MESSAGE)
    assert len(full_disk) == 2  # the photo was written, the thumbnail failed
    assert not Recipe.objects.exists()
    assert media_files() == []
    assert not UnusedPhotoFile.objects.exists()


def test_an_unusable_photo_folder_is_a_form_error(unusable_media_root, user_client, recipe_data):
    response = user_client.post(NEW_URL, recipe_data(image=make_uploaded_image(), image_alt="A"))

    assertContains(response, images.NOT_STORED_MESSAGE)
    assert not Recipe.objects.exists()


def test_the_form_keeps_everything_else_the_cook_typed(
    unusable_media_root, user_client, recipe_data
):
    data = recipe_data(title="Grandma's soup", image=make_uploaded_image(), image_alt="A")

    response = user_client.post(NEW_URL, data)

    form = response.context["form"]
    assert form.errors == {"image": [images.NOT_STORED_MESSAGE]}
    assert form["title"].value() == "Grandma's soup"
    assert form.held_photo is None


def test_a_photo_that_cannot_be_held_after_another_error_is_a_second_error(
    unusable_media_root, user_client, recipe_data
):
    response = user_client.post(NEW_URL, recipe_data(title="", image=make_uploaded_image()))

    form = response.context["form"]
    assert response.status_code == 200
    assert form.errors["image"] == [images.NOT_STORED_MESSAGE]
    assert "title" in form.errors
    assert 'name="held_image" value=' not in response.content.decode()


def test_a_failed_replacement_keeps_the_recipe_and_its_photo(
    user, user_client, recipe_data, media_files
):
    recipe = RecipeFactory.create(author=user, photo=True)
    files = recipe.image_files

    with mock.patch.object(
        default_storage, "save", side_effect=OSError(errno.EROFS, "Read-only file system")
    ):
        response = user_client.post(
            f"/recipes/{recipe.slug}/edit/",
            recipe_data(title="Renamed", image=make_uploaded_image(), image_alt="New"),
        )

    assertContains(response, images.NOT_STORED_MESSAGE)
    recipe.refresh_from_db()
    assert recipe.title != "Renamed"
    assert recipe.image_files == files
    assert media_files() == sorted(files)


def test_files_that_cannot_even_be_removed_stay_recorded_for_the_clean_up(
    full_disk, user_client, recipe_data, media_files
):
    with mock.patch.object(default_storage, "delete", side_effect=OSError(errno.EIO, "I/O")):
        response = user_client.post(
            NEW_URL, recipe_data(image=make_uploaded_image(), image_alt="A")
        )

    assertContains(response, images.NOT_STORED_MESSAGE)
    assert not Recipe.objects.exists()
    (written,) = media_files()
    assert written in set(UnusedPhotoFile.objects.values_list("name", flat=True))
