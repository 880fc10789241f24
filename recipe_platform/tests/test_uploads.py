"""Photo uploads through the recipe form, end to end: stored, refused, or kept for a retry."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pytest_django.asserts import assertContains
from shared.hostile_images import black_png, refused_uploads
from shared.images import make_uploaded_image

from recipes import images
from recipes.models import Recipe
from tests.factories import RecipeFactory

pytestmark = pytest.mark.django_db

REFUSED_KINDS = list(refused_uploads())
NEW_URL = "/recipes/new/"


def _held_token(response) -> str:
    match = re.search(r'name="held_image" value="([^"]+)"', response.content.decode())
    assert match, "the re-displayed form holds no photo"
    return match.group(1)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_each_accepted_format_is_stored_as_two_webp_files(
    user_client, recipe_data, media_files, fmt
):
    upload = make_uploaded_image(fmt=fmt, size=(2000, 1500))

    response = user_client.post(NEW_URL, recipe_data(image=upload, image_alt="Pancakes"))

    recipe = Recipe.objects.get()
    assert response.status_code == 302
    assert media_files() == sorted(recipe.image_files)
    assert recipe.image.name.endswith(".webp")
    assert (recipe.image_width, recipe.image_height) == (1600, 1200)
    assert (recipe.thumbnail_width, recipe.thumbnail_height) == (400, 300)
    assert recipe.image_alt == "Pancakes"


@pytest.mark.parametrize("kind", REFUSED_KINDS)
def test_refused_files_get_a_form_error_and_nothing_is_stored(
    user_client, recipe_data, media_files, kind
):
    upload, code = refused_uploads()[kind]

    response = user_client.post(NEW_URL, recipe_data(image=upload, image_alt="A photo"))

    assert response.status_code == 200
    assert [error.code for error in response.context["form"].errors.as_data()["image"]] == [code]
    assert not Recipe.objects.exists()
    assert media_files() == []


def test_an_svg_gets_a_clear_message(user_client, recipe_data):
    upload, _code = refused_uploads()["svg"]

    response = user_client.post(NEW_URL, recipe_data(image=upload, image_alt="A photo"))

    assertContains(response, "Choose a JPEG, PNG or WebP photo. This file is not one.")


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("over 10 MB", "Choose a photo of at most 10 MB."),
        ("40,000,000 x 1", "the limit is 10,000 pixels a side"),
        ("48 megapixels", "the limit is 40 megapixels for a JPEG, 16 for a PNG or WebP"),
        ("jpeg with 101 scans", "too many progressive passes (the limit is 100)"),
    ],
)
def test_a_refusal_states_the_readmes_limit(user_client, recipe_data, kind, message):
    upload, _code = refused_uploads()[kind]

    response = user_client.post(NEW_URL, recipe_data(image=upload, image_alt="A photo"))

    assertContains(response, message)


def test_a_photo_too_long_and_narrow_is_refused_with_the_ratio(user_client, recipe_data):
    upload = SimpleUploadedFile("strip.png", black_png(10_000, 999), "image/png")

    response = user_client.post(NEW_URL, recipe_data(image=upload, image_alt="A strip"))

    assertContains(response, "one side may be at most 10 times the other")


def test_the_form_states_the_limits_next_to_the_file_input(user_client):
    response = user_client.get(NEW_URL)

    assertContains(
        response,
        "JPEG, PNG or WebP, up to 10 MB and 10,000 pixels a side; "
        "40 megapixels for a JPEG, 16 for a PNG or WebP.",
    )


def test_a_photo_from_a_phone_is_stored_upright_and_without_gps(user_client, recipe_data):
    upload = make_uploaded_image(size=(64, 48), orientation=6, gps=True)

    user_client.post(NEW_URL, recipe_data(image=upload, image_alt="Pancakes"))

    recipe = Recipe.objects.get()
    with recipe.image.open() as stored_file:
        stored = Image.open(io.BytesIO(stored_file.read()))
        stored.load()
    assert stored.size == (48, 64)
    assert not stored.getexif()
    pixel = stored.convert("RGB").getpixel((24, 4))
    assert isinstance(pixel, tuple)
    red, _green, blue = pixel
    assert red > blue  # the red half is now on top


def test_a_photo_needs_alt_text_and_is_kept_while_the_cook_adds_it(
    user_client, recipe_data, media_files
):
    response = user_client.post(NEW_URL, recipe_data(image=make_uploaded_image(), image_alt=""))

    assert response.context["form"].errors["image_alt"] == [
        "Describe the photo for people who cannot see it."
    ]
    assertContains(response, "Your photo is kept")
    assert len(media_files()) == 2
    assert not Recipe.objects.exists()


def test_a_chosen_photo_survives_an_error_elsewhere_in_the_form(
    user_client, recipe_data, media_files
):
    first = user_client.post(
        NEW_URL, recipe_data(title="", image=make_uploaded_image(), image_alt="Pancakes")
    )
    assert first.context["form"].errors["title"]
    held = first.context["form"].held_photo
    assertContains(first, f'src="{held.thumbnail_url}"')

    second = user_client.post(
        NEW_URL, recipe_data(image="", image_alt="Pancakes", held_image=_held_token(first))
    )

    recipe = Recipe.objects.get()
    assert second.status_code == 302
    assert recipe.image_files == held.names
    assert media_files() == sorted(held.names)


def test_a_held_photo_survives_a_second_failed_submit(user_client, recipe_data):
    first = user_client.post(
        NEW_URL, recipe_data(title="", image=make_uploaded_image(), image_alt="Pancakes")
    )
    token = _held_token(first)

    second = user_client.post(
        NEW_URL, recipe_data(image="", title="", image_alt="x", held_image=token)
    )

    assert _held_token(second) == token


def test_a_new_file_replaces_a_held_photo(user_client, recipe_data):
    first = user_client.post(
        NEW_URL, recipe_data(title="", image=make_uploaded_image(), image_alt="Pancakes")
    )
    held = first.context["form"].held_photo

    user_client.post(
        NEW_URL,
        recipe_data(
            image=make_uploaded_image(fmt="PNG"),
            image_alt="Pancakes",
            held_image=_held_token(first),
        ),
    )

    assert Recipe.objects.get().image.name != held.display_name


def test_a_refused_file_keeps_the_earlier_held_photo(user_client, recipe_data):
    first = user_client.post(
        NEW_URL, recipe_data(title="", image=make_uploaded_image(), image_alt="Pancakes")
    )
    upload, _code = refused_uploads()["gif"]

    second = user_client.post(
        NEW_URL, recipe_data(image=upload, image_alt="Pancakes", held_image=_held_token(first))
    )

    assert second.context["form"].errors["image"]
    assert second.context["form"].held_photo == first.context["form"].held_photo


def test_someone_elses_held_photo_token_is_refused(other_user, user_client, recipe_data):
    stored = images.store(images.process_upload(make_uploaded_image()))
    token = images.hold(stored, user_id=other_user.pk)

    response = user_client.post(
        NEW_URL, recipe_data(image="", image_alt="A photo", held_image=token)
    )

    assertContains(response, images.HELD_EXPIRED_MESSAGE)
    assert not Recipe.objects.exists()


def test_a_held_photo_cannot_be_attached_twice(user, user_client, recipe_data):
    stored = images.store(images.process_upload(make_uploaded_image()))
    token = images.hold(stored, user_id=user.pk)
    user_client.post(NEW_URL, recipe_data(image="", image_alt="A photo", held_image=token))

    response = user_client.post(
        NEW_URL, recipe_data(image="", image_alt="A photo", held_image=token)
    )

    assertContains(response, images.HELD_EXPIRED_MESSAGE)
    assert Recipe.objects.count() == 1


def test_a_held_photo_another_submit_took_and_let_go_is_refused_with_the_form(
    user, user_client, recipe_data, media_files
):
    """The first submit put the photo on a recipe, whose photo was then replaced: the files are
    on their way out, so a stale copy of the form gets the form back, never a dangling photo."""
    held = images.store(images.process_upload(make_uploaded_image()), held=True)
    token = images.hold(held, user_id=user.pk)
    user_client.post(NEW_URL, recipe_data(image="", image_alt="A photo", held_image=token))
    recipe = Recipe.objects.get()
    user_client.post(
        f"/recipes/{recipe.slug}/edit/", recipe_data(image=make_uploaded_image(), image_alt="B")
    )

    response = user_client.post(
        NEW_URL, recipe_data(image="", image_alt="A photo", held_image=token)
    )

    assert response.status_code == 200
    assertContains(response, images.HELD_EXPIRED_MESSAGE)
    assert response.context["form"].held_photo is None
    assert 'name="held_image" value=' not in response.content.decode()
    assert Recipe.objects.count() == 1


def test_replacing_a_photo_keeps_the_old_files_for_the_history(
    user, user_client, recipe_data, media_files, django_capture_on_commit_callbacks
):
    recipe = RecipeFactory.create(author=user, photo=True)
    old_files = recipe.image_files

    with django_capture_on_commit_callbacks(execute=True):
        user_client.post(
            f"/recipes/{recipe.slug}/edit/",
            recipe_data(image=make_uploaded_image(fmt="PNG"), image_alt="New photo"),
        )

    recipe.refresh_from_db()
    assert recipe.image_alt == "New photo"
    assert set(old_files).isdisjoint(recipe.image_files)
    # The version before the edit shows the old photo (versions/, recipes.history).
    assert media_files() == sorted([*old_files, *recipe.image_files])


def test_the_edit_form_cannot_remove_the_photo(
    user, user_client, recipe_data, media_files, django_capture_on_commit_callbacks
):
    """A recipe always has its photo (issue 18): a crafted ``remove_image`` changes nothing."""
    recipe = RecipeFactory.create(author=user, photo=True)
    files = recipe.image_files

    with django_capture_on_commit_callbacks(execute=True):
        user_client.post(f"/recipes/{recipe.slug}/edit/", recipe_data(image="", remove_image="on"))

    recipe.refresh_from_db()
    assert recipe.image_files == files
    assert media_files() == sorted(files)


def test_editing_without_a_new_file_keeps_the_photo(user, user_client, recipe_data, media_files):
    recipe = RecipeFactory.create(author=user, photo=True)
    files = recipe.image_files

    user_client.post(
        f"/recipes/{recipe.slug}/edit/", recipe_data(image="", image_alt="Still pancakes")
    )

    recipe.refresh_from_db()
    assert recipe.image_files == files
    assert media_files() == sorted(files)


def test_editing_a_recipe_with_a_photo_still_needs_alt_text(user, user_client, recipe_data):
    recipe = RecipeFactory.create(author=user, photo=True)

    response = user_client.post(f"/recipes/{recipe.slug}/edit/", recipe_data(image_alt=" "))

    assert response.context["form"].errors["image_alt"]


def test_more_than_one_file_in_a_request_is_a_bad_request(user_client, recipe_data):
    files = [make_uploaded_image(), make_uploaded_image()]

    response = user_client.post(NEW_URL, recipe_data(image=files, image_alt="Two"))

    assert response.status_code == 400
    assert not Recipe.objects.exists()
