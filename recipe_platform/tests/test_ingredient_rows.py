"""The recipe form's ingredient rows, its pasted list, its two buttons, and the required photo."""

from fractions import Fraction as F

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from recipes.forms import PHOTO_REQUIRED
from recipes.models import Ingredient, Recipe
from tests.factories import RecipeFactory

pytestmark = pytest.mark.django_db

NEW_URL = "/recipes/new/"


def rows(*lines, start=0):
    """Formset data for rows given as (quantity, unit, item, note)."""
    data = {"ingredients-TOTAL_FORMS": str(start + len(lines)), "ingredients-INITIAL_FORMS": "0"}
    for index, (quantity, unit, item, note) in enumerate(lines, start=start):
        data.update(
            {
                f"ingredients-{index}-quantity": quantity,
                f"ingredients-{index}-unit": unit,
                f"ingredients-{index}-item": item,
                f"ingredients-{index}-note": note,
            }
        )
    return data


def stored(recipe):
    return [
        (row.quantity, row.quantity_max, row.unit, row.item, row.note)
        for row in recipe.ingredients.all()
    ]


def test_rows_are_saved_in_order_with_exact_quantities(user_client, recipe_data):
    data = recipe_data(
        paste_ingredients="",
        **rows(("1 ½", "cup", "flour", ""), ("2-3", "", "eggs", "beaten"), ("", "", "salt", "")),
    )

    response = user_client.post(NEW_URL, data)

    recipe = Recipe.objects.get()
    assert response.status_code == 302
    assert stored(recipe) == [
        (F(3, 2), None, "cup", "flour", ""),
        (F(2), F(3), "", "eggs", "beaten"),
        (None, None, "", "salt", ""),
    ]
    assert list(recipe.ingredients.values_list("position", flat=True)) == [1, 2, 3]


def test_pasted_lines_are_read_and_come_after_the_rows(user_client, recipe_data):
    data = recipe_data(
        paste_ingredients="a pinch of salt\n\n3/4 tsp cumin, ground",
        **rows(("200", "g", "flour", "")),
    )

    user_client.post(NEW_URL, data)

    assert stored(Recipe.objects.get()) == [
        (F(200), None, "g", "flour", ""),
        (F(1), None, "pinch", "salt", ""),
        (F(3, 4), None, "tsp", "cumin", "ground"),
    ]


def test_empty_and_removed_rows_are_left_out(user_client, recipe_data):
    data = recipe_data(
        paste_ingredients="",
        **rows(("", "", "", ""), ("2", "", "eggs", ""), ("1", "cup", "sugar", "")),
        **{"ingredients-2-DELETE": "on"},
    )

    user_client.post(NEW_URL, data)

    assert stored(Recipe.objects.get()) == [(F(2), None, "", "eggs", "")]


def test_a_recipe_needs_an_ingredient(user_client, recipe_data):
    response = user_client.post(NEW_URL, recipe_data(paste_ingredients="  \n ", **rows()))

    assert response.status_code == 200
    assertContains(response, "Add at least one ingredient: fill in a row or paste a list.")
    assert not Recipe.objects.exists()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("two", "", "eggs", ""), "Write an amount such as 2, 1.5, 1 ½, 3/4 or 2-3."),
        (("0", "", "eggs", ""), "A quantity is above zero and at most 10,000."),
        (("3-2", "", "eggs", ""), "The second number of a range is the larger one."),
        (("2", "", "", ""), "Name the ingredient, or clear the row."),
        (("2", "bucket", "eggs", ""), "Select a valid choice."),
        (("2", "", "eggs\x00", ""), "Null characters are not allowed."),
    ],
)
def test_a_bad_row_is_an_error_beside_it_and_nothing_is_saved(
    user_client, recipe_data, row, message
):
    response = user_client.post(NEW_URL, recipe_data(paste_ingredients="", **rows(row)))

    assert response.status_code == 200
    assertContains(response, message)
    assert not Recipe.objects.exists()
    assert not Ingredient.objects.exists()


def test_a_recipe_has_at_most_60_ingredients(user_client, recipe_data):
    pasted = "\n".join(f"{n} g item {n}" for n in range(1, 62))

    response = user_client.post(NEW_URL, recipe_data(paste_ingredients=pasted))

    assertContains(response, "A recipe has at most 60 ingredients; this one has 61.")
    assert not Recipe.objects.exists()


def test_a_pasted_line_too_long_for_a_row_is_an_error(user_client, recipe_data):
    response = user_client.post(NEW_URL, recipe_data(paste_ingredients="2 eggs\n" + "x" * 201))

    assertContains(response, "Pasted line 2 is longer than 200 characters.")
    assert not Recipe.objects.exists()


def test_add_more_rows_keeps_everything_typed_and_saves_nothing(user_client, recipe_data):
    data = recipe_data(
        title="Half-typed",
        paste_ingredients="1 lemon",
        add_ingredient_rows="1",
        **rows(("2", "", "eggs", ""), ("", "", "", "")),
    )

    response = user_client.post(NEW_URL, data)

    assert response.status_code == 200
    assert not Recipe.objects.exists()
    formset = response.context["ingredient_formset"]
    assert formset.total_form_count() == 4  # the filled row, and three new ones
    assertContains(response, 'value="Half-typed"')
    assertContains(response, 'name="ingredients-0-item" value="eggs"')
    assertContains(response, "1 lemon</textarea>")  # the pasted text waits for its own button
    assertNotContains(response, "Please correct the fields marked below.")
    # The chosen photo is held, so the cook does not choose it again.
    assert response.context["form"].held_photo is not None


def test_add_more_rows_shows_no_errors_for_what_is_not_filled_in_yet(user_client, recipe_data):
    response = user_client.post(
        NEW_URL, recipe_data(title="", image="", add_ingredient_rows="1", **rows())
    )

    assertNotContains(response, "This field is required.")
    assertNotContains(response, PHOTO_REQUIRED)


def test_read_the_list_turns_pasted_lines_into_rows_to_check(user_client, recipe_data):
    data = recipe_data(
        paste_ingredients="1 ½ cups milk\nsalt, to taste",
        read_pasted_ingredients="1",
        **rows(("2", "", "eggs", "")),
    )

    response = user_client.post(NEW_URL, data)

    assert not Recipe.objects.exists()
    assertContains(response, 'name="ingredients-1-quantity" value="1 ½"')
    assertContains(response, '<option value="cup" selected>cup</option>')
    assertContains(response, 'name="ingredients-2-item" value="salt"')
    assertContains(response, 'name="ingredients-2-note" value="to taste"')
    assert response.context["form"]["paste_ingredients"].value() == ""
    # Saving what came back stores the rows once, not the pasted list again.
    resubmit = {
        key: value
        for key, value in response.context["form"].data.items()
        if key not in {"read_pasted_ingredients", "image"}
    }
    user_client.post(NEW_URL, resubmit)
    assert stored(Recipe.objects.get()) == [
        (F(2), None, "", "eggs", ""),
        (F(3, 2), None, "cup", "milk", ""),
        (None, None, "", "salt", "to taste"),
    ]


def test_a_crafted_row_count_is_bounded(user_client, recipe_data):
    data = recipe_data(**{"ingredients-TOTAL_FORMS": "100000", "ingredients-INITIAL_FORMS": "0"})

    response = user_client.post(NEW_URL, data)

    assert response.status_code == 200
    assert not Recipe.objects.exists()


def test_the_edit_form_shows_the_rows_exactly_and_a_save_replaces_them(
    user_client, user, recipe_data
):
    recipe = RecipeFactory.create(author=user, photo=True, ingredients="5/16 cup flour\n2-3 eggs")

    page = user_client.get(f"/recipes/{recipe.slug}/edit/")

    assertContains(page, 'name="ingredients-0-quantity" value="5/16"')
    assertContains(page, 'name="ingredients-1-quantity" value="2-3"')
    user_client.post(
        f"/recipes/{recipe.slug}/edit/",
        recipe_data(image="", paste_ingredients="", **rows(("1", "", "egg", ""))),
    )
    assert stored(recipe) == [(F(1), None, "", "egg", "")]


# --- The photo ---------------------------------------------------------------------------------


def test_a_new_recipe_without_a_photo_is_refused(user_client, recipe_data):
    response = user_client.post(NEW_URL, recipe_data(image="", image_alt=""))

    assert response.status_code == 200
    assertContains(response, PHOTO_REQUIRED)
    assert not Recipe.objects.exists()


def test_a_held_photo_counts_as_the_photo(user_client, recipe_data):
    first = user_client.post(NEW_URL, recipe_data(title=""))
    token = first.context["form"].data["held_image"]

    response = user_client.post(NEW_URL, recipe_data(image="", held_image=token))

    assert response.status_code == 302
    assert Recipe.objects.get().has_image


def test_an_edit_keeps_the_photo_without_choosing_it_again(user_client, user, recipe_data):
    recipe = RecipeFactory.create(author=user, photo=True)
    files = recipe.image_files

    response = user_client.post(
        f"/recipes/{recipe.slug}/edit/", recipe_data(title="Renamed", image="")
    )

    recipe.refresh_from_db()
    assert response.status_code == 302
    assert (recipe.title, recipe.image_files) == ("Renamed", files)


def test_the_form_offers_no_way_to_remove_the_photo(user_client, user):
    recipe = RecipeFactory.create(author=user, photo=True)

    assertNotContains(user_client.get(f"/recipes/{recipe.slug}/edit/"), 'name="remove_image"')


def test_a_range_of_extreme_fractions_is_stored(user_client, recipe_data):
    """The range check multiplies numerators by denominators: past 32 bits, which PostgreSQL's
    integer would refuse with an error; the constraint computes in 64 bits."""
    data = recipe_data(paste_ingredients="", **rows(("1/999-9999.999", "g", "salt", "")))

    response = user_client.post(NEW_URL, data)

    assert response.status_code == 302
    assert stored(Recipe.objects.get()) == [(F(1, 999), F(9999999, 1000), "g", "salt", "")]
