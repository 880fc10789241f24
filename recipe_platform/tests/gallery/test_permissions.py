"""Who manages a gallery: each gallery URL x anonymous / author / other cook / staff, GET and POST.

The recipe's author and staff manage it; for anyone else every URL is a 404, as for a recipe or
photo that does not exist; anonymous visitors are sent to log in. No GET changes anything.
"""

from __future__ import annotations

import pytest
from pytest_django.asserts import assertRedirects
from shared.images import make_uploaded_image

from gallery.models import RecipePhoto
from tests.gallery.conftest import alts

pytestmark = pytest.mark.django_db

ACTIONS = ["delete", "move-up", "move-down", "make-cover"]


@pytest.fixture
def clients(client, user_client, other_user_client, staff_client):
    return {
        "anonymous": client,
        "author": user_client,
        "other": other_user_client,
        "staff": staff_client,
    }


@pytest.fixture
def photos(recipe, add_photos):
    return add_photos(recipe, 3)


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("author", 200), ("other", 404), ("staff", 200)]
)
def test_get_the_gallery_page(clients, recipe, who, status):
    response = clients[who].get("/gallery/lemon-tart/")

    assert response.status_code == status
    if who == "anonymous":
        assertRedirects(response, "/accounts/login/?next=/gallery/lemon-tart/")


@pytest.mark.parametrize(
    ("who", "status", "added"),
    [("anonymous", 302, 0), ("author", 302, 1), ("other", 404, 0), ("staff", 302, 1)],
)
def test_post_a_photo(clients, recipe, who, status, added):
    response = clients[who].post(
        "/gallery/lemon-tart/", {"image": make_uploaded_image(), "alt": "Sliced"}
    )

    assert response.status_code == status
    assert RecipePhoto.objects.filter(recipe=recipe).count() == added


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("author", 405), ("other", 404), ("staff", 405)]
)
def test_get_an_action_changes_nothing(clients, recipe, photos, action, who, status):
    before = (alts(recipe), recipe.image.name)

    response = clients[who].get(f"/gallery/photos/{photos[1].pk}/{action}/")

    recipe.refresh_from_db()
    assert response.status_code == status
    assert (alts(recipe), recipe.image.name) == before


@pytest.mark.parametrize(
    ("action", "after"),
    [
        ("delete", ["Photo 1", "Photo 3"]),
        ("move-up", ["Photo 2", "Photo 1", "Photo 3"]),
        ("move-down", ["Photo 1", "Photo 3", "Photo 2"]),
        ("make-cover", ["Photo 1", "A photo of Lemon tart", "Photo 3"]),
    ],
)
@pytest.mark.parametrize(
    ("who", "status", "changed"),
    [("anonymous", 302, False), ("author", 302, True), ("other", 404, False), ("staff", 302, True)],
)
def test_post_an_action(clients, recipe, photos, action, after, who, status, changed):
    response = clients[who].post(f"/gallery/photos/{photos[1].pk}/{action}/")

    assert response.status_code == status
    assert alts(recipe) == (after if changed else ["Photo 1", "Photo 2", "Photo 3"])
    if changed:
        assertRedirects(response, "/gallery/lemon-tart/")


@pytest.mark.parametrize("action", ACTIONS)
def test_a_photo_that_does_not_exist_is_a_404(user_client, action):
    assert user_client.post(f"/gallery/photos/999999/{action}/").status_code == 404


def test_a_recipe_that_does_not_exist_is_a_404(user_client):
    assert user_client.get("/gallery/no-such-dish/").status_code == 404
