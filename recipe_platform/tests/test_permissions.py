"""Who may create, edit and delete a recipe: each URL x anonymous / author / other / staff.

Only the author changes a recipe. Anyone else logged in gets a 404, exactly as for a recipe that
does not exist (staff included: they moderate in the admin); anonymous visitors are sent to log in.
"""

import pytest
from pytest_django.asserts import assertRedirects

from recipes.models import Recipe
from tests.factories import RecipeFactory

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "author", "other", "staff"]


@pytest.fixture
def recipe(user):
    return RecipeFactory.create(author=user, title="Original", slug="original")


@pytest.fixture
def clients(client, user_client, other_user_client, staff_client):
    return {
        "anonymous": client,
        "author": user_client,
        "other": other_user_client,
        "staff": staff_client,
    }


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("author", 200), ("other", 200), ("staff", 200)]
)
def test_get_new_recipe_page(clients, who, status):
    response = clients[who].get("/recipes/new/")

    assert response.status_code == status
    if who == "anonymous":
        assertRedirects(response, "/accounts/login/?next=/recipes/new/")


@pytest.mark.parametrize(
    ("who", "created"), [("anonymous", 0), ("author", 1), ("other", 1), ("staff", 1)]
)
def test_post_new_recipe(clients, recipe_data, who, created):
    clients[who].post("/recipes/new/", recipe_data())

    assert Recipe.objects.filter(title="Sunday pancakes").count() == created


@pytest.mark.parametrize("action", ["edit", "delete"])
@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("author", 200), ("other", 404), ("staff", 404)]
)
def test_get_edit_and_delete_pages(clients, recipe, action, who, status):
    response = clients[who].get(f"/recipes/original/{action}/")

    assert response.status_code == status
    if who == "anonymous":
        assertRedirects(response, f"/accounts/login/?next=/recipes/original/{action}/")


@pytest.mark.parametrize(
    ("who", "status", "title"),
    [
        ("anonymous", 302, "Original"),
        ("author", 302, "Changed"),
        ("other", 404, "Original"),
        ("staff", 404, "Original"),
    ],
)
def test_post_edit(clients, recipe, recipe_data, who, status, title):
    response = clients[who].post("/recipes/original/edit/", recipe_data(title="Changed"))

    recipe.refresh_from_db()
    assert response.status_code == status
    assert recipe.title == title


@pytest.mark.parametrize(
    ("who", "status", "exists"),
    [("anonymous", 302, True), ("author", 302, False), ("other", 404, True), ("staff", 404, True)],
)
def test_post_delete(clients, recipe, who, status, exists):
    response = clients[who].post("/recipes/original/delete/")

    assert response.status_code == status
    assert Recipe.objects.filter(pk=recipe.pk).exists() == exists


def test_the_public_pages_need_no_login(client, recipe):
    assert client.get("/recipes/").status_code == 200
    assert client.get("/recipes/original/").status_code == 200


def test_changing_a_recipe_needs_the_csrf_token(user, recipe, recipe_data):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post("/recipes/original/delete/")

    assert response.status_code == 403
    assert Recipe.objects.filter(pk=recipe.pk).exists()
