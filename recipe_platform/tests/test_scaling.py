"""The recipe page's ingredients: scaled to ?servings=, written in ?units=, never a 500."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import RecipeFactory

pytestmark = pytest.mark.django_db

LINES = "1 ½ cups milk\n250 g flour\n2-3 cloves garlic, crushed\n⅓ cup oil\nsalt, to taste"


@pytest.fixture
def recipe():
    return RecipeFactory.create(slug="pancakes", servings=4, ingredients=LINES)


def shown(response):
    return [str(line) for line in response.context["ingredients"]]


def test_the_page_shows_the_recipe_as_written_by_default(client, recipe):
    response = client.get("/recipes/pancakes/")

    assert shown(response) == [
        "1 ½ cups milk",
        "250 g flour",
        "2\N{EN DASH}3 cloves garlic, crushed",
        "⅓ cup oil",
        "salt, to taste",
    ]
    assertContains(response, "For 4 servings.")
    assertContains(response, '<strong class="quantity">1 ½ cups</strong> milk', html=True)


def test_the_page_scales_to_the_servings_asked_for(client, recipe):
    response = client.get("/recipes/pancakes/", {"servings": "6"})

    assert shown(response) == [
        "2 ¼ cups milk",
        "375 g flour",
        "3\N{EN DASH}4 ½ cloves garlic, crushed",
        "½ cup oil",
        "salt, to taste",
    ]
    assertContains(response, "For 6 servings (the recipe serves 4;")
    assertContains(response, 'name="servings" value="6"')


def test_thirds_scale_exactly(client, recipe):
    response = client.get("/recipes/pancakes/", {"servings": "12"})

    assert "1 cup oil" in shown(response)


def test_the_page_converts_to_us_units(client, recipe):
    response = client.get("/recipes/pancakes/", {"servings": "4", "units": "us"})

    assert shown(response)[:2] == ["1 ½ cups milk", "8 ⅞ oz flour"]
    assertContains(response, "in US units")
    assertContains(response, '<option value="us" selected>US</option>', html=True)


def test_the_page_converts_to_metric_units(client, recipe):
    response = client.get("/recipes/pancakes/", {"units": "metric"})

    assert shown(response)[0] == "355 ml milk"
    assert shown(response)[3] == "79 ml oil"


@pytest.mark.parametrize(
    "query",
    [
        {"servings": "0"},
        {"servings": "101"},
        {"servings": "-3"},
        {"servings": "six"},
        {"servings": "٣"},
        {"servings": "1e309"},
        {"servings": "99999999999999999999999"},
        {"servings": "\x00"},
        {"servings": ""},
        {"units": "imperial"},
        {"units": "\x00"},
    ],
)
def test_a_refused_value_shows_the_recipe_as_written(client, recipe, query):
    response = client.get("/recipes/pancakes/", query)

    assert response.status_code == 200
    assert shown(response)[0] == "1 ½ cups milk"
    assertContains(response, 'name="servings" value="4"')


def test_100_servings_is_the_most(client, recipe):
    response = client.get("/recipes/pancakes/", {"servings": "100"})

    assert shown(response)[1] == "6250 g flour"  # as written: grams stay grams
    assertNotContains(response, "For 4 servings.")


@pytest.mark.parametrize("rows", [10, 60])
def test_the_page_costs_the_same_queries_whatever_the_number_of_ingredients(
    client, django_assert_num_queries, rows
):
    recipe = RecipeFactory.create(
        ingredients="\n".join(f"{n} g item {n}" for n in range(1, rows + 1))
    )

    # The recipe with its author, its categories, its ingredients, more from the author, what
    # the community app adds (ratings and comments) and the photo gallery.
    with django_assert_num_queries(NUMBER_OF_QUERIES):
        response = client.get(recipe.get_absolute_url(), {"servings": "8", "units": "us"})
    assert len(response.context["ingredients"]) == rows


NUMBER_OF_QUERIES = 6
