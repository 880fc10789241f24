"""No URL, query parameter, form field, file or header of the recipe site answers with a 5xx.

``shared.hostile_input`` walks every URL pattern (the admin's changelists, their category,
photo and date filters and date hierarchies included) as each kind of visitor, with integers
past 64 bits, numbers Python reads but a database does not, NUL bytes, long strings and
impossible dates. It posts every form of a page without path parameters, the recipe form's
multipart POST included; the forms that need a real recipe (edit, delete, the admin's change
form and actions) and a hostile *file* are posted here the same way.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from shared.factories import SuperuserFactory, UserFactory
from shared.hostile_input import (
    HOSTILE_VALUES,
    admin_change_paths,
    client_for,
    find_server_errors,
    find_server_errors_in_forms,
)
from shared.images import make_image

from recipes.models import Ingredient
from shopping import services
from shopping.models import ShoppingItem
from tests.factories import RecipeFactory

# Walks of every URL take seconds each: they run first (shared.pytest_plugin), so the workers
# finish together.
pytestmark = [pytest.mark.django_db, pytest.mark.long_running]

#: The list's query names (README, "Pages and endpoints"), and the login page's redirect.
LIST_QUERIES = ("q", "category", "page", "next")
INGREDIENT_ROW_FIELDS = (
    "paste_ingredients",
    "ingredients-TOTAL_FORMS",
    "ingredients-INITIAL_FORMS",
    "ingredients-0-quantity",
    "ingredients-0-unit",
    "ingredients-0-item",
    "ingredients-0-note",
    "ingredients-0-DELETE",
)
RECIPE_FIELDS = (
    "title",
    "description",
    *INGREDIENT_ROW_FIELDS,
    "instructions",
    "prep_minutes",
    "cook_minutes",
    "servings",
    "categories",
    "image_alt",
    "held_image",
    "remove_image",
)


def _visitor(role: str):
    if role == "anonymous":
        return None
    return SuperuserFactory.create() if role == "superuser" else UserFactory.create()


@pytest.fixture(autouse=True)
def _recipes(categories):
    """Two list pages of recipes on every shelf, some with a photo."""
    shelves = list(categories.values())
    for number in range(14):
        RecipeFactory.create(categories=[shelves[number % len(shelves)]], photo=number < 2)


#: The walk of every URL is split in this many pieces, which pytest-xdist runs side by side.
SHARDS = 4


@pytest.mark.parametrize("shard", range(SHARDS))
# The superuser's walks (the admin's pages) are the longest: handed out first.
@pytest.mark.parametrize("role", ["superuser", "cook", "anonymous"])
def test_no_page_answers_hostile_input_with_a_server_error(role, shard):
    client = client_for(_visitor(role))

    assert find_server_errors(client, query_names=LIST_QUERIES, shard=(shard, SHARDS)) == []


@pytest.mark.parametrize("role", ["cook", "superuser"])
def test_the_forms_of_a_recipe_answer_hostile_input_without_a_server_error(role):
    """The walker posts the forms of pages without path parameters; these need a real recipe."""
    visitor = _visitor(role)
    recipe = RecipeFactory.create(author=visitor, photo=True)
    client = client_for(visitor)
    actions = {
        f"/recipes/{recipe.slug}/edit/": RECIPE_FIELDS,
        f"/recipes/{recipe.slug}/delete/": ("next",),
        f"/admin/recipes/recipe/{recipe.pk}/change/": (
            "title",
            "slug",
            "author",
            "description",
            "categories",
            "instructions",
            "prep_minutes",
            "cook_minutes",
            "servings",
            "ingredients-TOTAL_FORMS",
            "ingredients-INITIAL_FORMS",
            "ingredients-0-position",
            "ingredients-0-quantity_numerator",
            "ingredients-0-quantity_denominator",
            "ingredients-0-unit",
            "ingredients-0-item",
        ),
        "/admin/recipes/recipe/": ("action", "_selected_action", "index", "select_across"),
        f"/admin/accounts/user/{visitor.pk}/password/": ("password1", "password2"),
        f"/shopping/add/{recipe.slug}/": ("servings",),
    }
    # The buttons that re-display the form with its rows changed, on both forms.
    rows_actions = {
        f"/recipes/{recipe.slug}/edit/": (*RECIPE_FIELDS, "add_ingredient_rows"),
        "/recipes/new/": (*RECIPE_FIELDS, "read_pasted_ingredients"),
    }
    services.add_recipe(owner=visitor, recipe=recipe, servings=4)
    item = ShoppingItem.objects.owned_by(visitor).first()
    assert item is not None
    actions[f"/shopping/{item.pk}/tick/"] = ("ticked", "page")

    errors = [
        f"POST {path} {value[:20]!r} -> {response.status_code}"
        for path, fields in [*actions.items(), *rows_actions.items()]
        for value in HOSTILE_VALUES
        if (response := client.post(path, dict.fromkeys(fields, value))).status_code >= 500
    ]

    assert errors == []


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("a\x00b.jpg", make_image("JPEG"), "image/jpeg"),
        SimpleUploadedFile("x" * 5000 + ".jpg", make_image("JPEG"), "image/jpeg"),
        SimpleUploadedFile("photo.jpg", b"\x00" * 1000, "image/jpeg"),
        SimpleUploadedFile("photo.jpg", b"", "image/jpeg"),
        SimpleUploadedFile("photo.jpg", make_image("JPEG"), "text/html\r\nX-Injected: 1"),
    ],
    ids=["nul-in-name", "long-name", "nul-bytes", "empty", "header-in-content-type"],
)
def test_a_hostile_file_in_the_recipe_form_is_a_form_error(upload, recipe_data):
    client = client_for(UserFactory.create())

    response = client.client.post("/recipes/new/", recipe_data(image=upload, image_alt="A photo"))

    assert response.status_code in {200, 302}


def test_the_admin_change_form_of_every_model_answers_hostile_input_without_a_server_error():
    """One row of every model the admin lists (the demo data has them all), each change form
    posted with hostile values in every field: its inlines' row counts and row ids included."""
    call_command("load_demo_data", stdout=StringIO())
    client = client_for(SuperuserFactory.create())

    with_rows = Ingredient.objects.latest("pk").recipe

    assert find_server_errors_in_forms(client, admin_change_paths(also=[with_rows])) == []
