"""The gallery page: uploading through the real form (refusals beside their field, with a 400),
the buttons, their messages, and hostile input."""

from __future__ import annotations

import pytest
from pytest_django.asserts import assertContains, assertNotContains
from shared.hostile_images import refused_uploads
from shared.hostile_input import HOSTILE_VALUES
from shared.images import make_uploaded_image

from gallery.models import RecipePhoto
from tests.gallery.conftest import alts

pytestmark = pytest.mark.django_db

PAGE = "/gallery/lemon-tart/"


def _errors(response, field: str) -> list[str]:
    return [error.code for error in response.context["form"].errors.as_data()[field]]


def test_the_page_shows_the_cover_first_then_the_photos_with_their_buttons(
    user_client, recipe, add_photos
):
    add_photos(recipe, 3)

    response = user_client.get(PAGE)

    html = response.content.decode()
    assert html.index(recipe.image_alt) < html.index("Photo 1") < html.index("Photo 3")
    assertContains(
        response, "<title>Photos of “Lemon tart” · Community Kitchen</title>", html=False
    )
    assertContains(response, "this one has 4.")
    # The first cannot move up nor the last down: three photos, two of each button.
    assert html.count(">Move up<") == 2
    assert html.count(">Move down<") == 2
    assert html.count(">Make this the cover<") == 3
    assert html.count(">Delete<") == 3


def test_the_upload_form_has_labelled_fields_and_states_the_limits(user_client, recipe):
    response = user_client.get(PAGE)

    assertContains(response, 'enctype="multipart/form-data"')
    assertContains(response, '<label for="id_image">Photo:</label>', html=True)
    assertContains(response, '<label for="id_alt">Photo description:</label>', html=True)
    assertContains(response, 'accept="image/jpeg,image/png,image/webp"')
    assertContains(response, "JPEG, PNG or WebP, up to 10 MB and 10,000 pixels a side")


def test_an_upload_adds_the_photo_with_a_message(user_client, recipe):
    response = user_client.post(
        PAGE,
        {"image": make_uploaded_image(size=(900, 600)), "alt": "The tart, sliced"},
        follow=True,
    )

    photo = RecipePhoto.objects.get(recipe=recipe)
    assert (photo.alt, photo.image_width, photo.thumbnail_width) == ("The tart, sliced", 900, 400)
    assertContains(response, "The photo is added to the gallery.")


@pytest.mark.parametrize("kind", list(refused_uploads()))
def test_each_hostile_image_is_refused_beside_the_field_and_nothing_is_stored(
    user_client, recipe, media_files, kind
):
    upload, code = refused_uploads()[kind]
    files_before = media_files()

    response = user_client.post(PAGE, {"image": upload, "alt": "A photo"})

    assert response.status_code == 400
    assert _errors(response, "image") == [code]
    assert not RecipePhoto.objects.exists()
    assert media_files() == files_before


def test_a_photo_without_a_description_is_refused_and_not_stored(user_client, recipe, media_files):
    files_before = media_files()

    response = user_client.post(PAGE, {"image": make_uploaded_image(), "alt": "  "})

    assert response.status_code == 400
    assertContains(response, "Describe the photo for people who cannot see it.", status_code=400)
    assert media_files() == files_before


def test_a_post_without_a_file_asks_for_one(user_client, recipe):
    response = user_client.post(PAGE, {"alt": "A photo"})

    assertContains(response, "Choose a photo to add.", status_code=400)


def test_the_eighth_photo_is_accepted_through_the_form(user_client, recipe, add_photos):
    add_photos(recipe, 6)

    response = user_client.post(PAGE, {"image": make_uploaded_image(), "alt": "The eighth"})

    assert response.status_code == 302
    assert alts(recipe)[-1] == "The eighth"


def test_the_ninth_photo_is_refused_with_a_clear_message(user_client, recipe, add_photos):
    add_photos(recipe, 7)

    response = user_client.post(PAGE, {"image": make_uploaded_image(), "alt": "The ninth"})

    assertContains(
        response,
        "This recipe already has 8 photos, the most it can have (the cover included). "
        "Delete one to add another.",
        status_code=400,
    )
    assert _errors(response, "image") == ["gallery_full"]
    assert RecipePhoto.objects.filter(recipe=recipe).count() == 7


def test_a_full_gallery_offers_no_upload_form(user_client, recipe, add_photos):
    add_photos(recipe, 7)

    response = user_client.get(PAGE)

    assertContains(response, "This recipe has its 8 photos. Delete one to add another.")
    assertNotContains(response, 'enctype="multipart/form-data"')


@pytest.mark.parametrize(
    ("action", "index", "message"),
    [
        ("move-up", 0, "The photo “Photo 1” is already first."),
        ("move-down", 2, "The photo “Photo 3” is already last."),
        ("move-up", 1, "The photo “Photo 2” moved up."),
        ("move-down", 1, "The photo “Photo 2” moved down."),
        ("delete", 1, "The photo “Photo 2” is deleted."),
        ("make-cover", 1, "The photo “Photo 2” is now the cover."),
    ],
)
def test_each_button_says_what_it_did(user_client, recipe, add_photos, action, index, message):
    photos = add_photos(recipe, 3)

    response = user_client.post(f"/gallery/photos/{photos[index].pk}/{action}/", follow=True)

    assertContains(response, message)


def test_moving_the_first_photo_up_changes_nothing(user_client, recipe, add_photos):
    photos = add_photos(recipe, 2)

    user_client.post(f"/gallery/photos/{photos[0].pk}/move-up/")

    assert alts(recipe) == ["Photo 1", "Photo 2"]


def test_hostile_values_in_the_upload_form_are_form_errors(user_client, recipe):
    statuses = {
        value[:20]: user_client.post(PAGE, {"image": value, "alt": value}).status_code
        for value in HOSTILE_VALUES
    }

    assert set(statuses.values()) == {400}, statuses


def test_hostile_values_in_the_photo_address_are_404s(user_client):
    for value in ["0", "-1", "99999999999999999999999", "1e3", "%00"]:
        assert user_client.post(f"/gallery/photos/{value}/delete/").status_code == 404
