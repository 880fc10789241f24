"""The journeys of issue 6 in a real browser: a cook publishes a recipe with a photo through
the file input, and an admin filters the recipes by category."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from shared.factories import DEFAULT_PASSWORD, SuperuserFactory, UserFactory
from shared.images import make_image

from recipes.models import Recipe
from tests.browser.pages import BROWSER_TEST, assert_image_loaded
from tests.factories import RecipeFactory

pytestmark = BROWSER_TEST


def _log_in_through_the_form(page: Page, url: str, username: str) -> None:
    page.goto(url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_cook_publishes_a_recipe_with_a_photo_and_finds_it_with_its_thumbnail(
    page, live_server, tmp_path
):
    UserFactory.create(username="cook")
    photo = tmp_path / "pancakes.jpg"
    photo.write_bytes(make_image("JPEG", size=(1200, 900)))

    _log_in_through_the_form(page, f"{live_server.url}/accounts/login/", "cook")
    expect(page.get_by_role("status")).to_contain_text("Welcome back, cook.")
    page.get_by_role("link", name="Share a recipe").click()
    page.get_by_label("Title:", exact=True).fill("Blueberry pancakes")
    page.get_by_label("Description:", exact=True).fill("Fluffy, with a handful of berries.")
    page.get_by_label("Paste ingredients:", exact=True).fill("250 g flour\n2 eggs\n400 ml milk")
    page.get_by_label("Quantity, row 1").fill("150")
    page.get_by_label("Unit, row 1").select_option("g")
    page.get_by_label("Item, row 1").fill("blueberries")
    page.get_by_label("Instructions:", exact=True).fill("Whisk.\nFold in the berries.\nFry.")
    page.get_by_label("Preparation time (minutes):", exact=True).fill("10")
    page.get_by_label("Cooking time (minutes):", exact=True).fill("15")
    page.get_by_label("Servings:", exact=True).fill("4")
    page.get_by_label("Vegetarian").check()
    page.get_by_label("Breakfast").check()
    page.get_by_label("Photo:", exact=True).set_input_files(photo)
    page.get_by_label("Photo description:", exact=True).fill("A stack of pancakes with blueberries")
    page.get_by_role("button", name="Publish recipe").click()

    expect(page).to_have_url(f"{live_server.url}/recipes/blueberry-pancakes/")
    expect(page.get_by_role("status")).to_contain_text(
        "Your recipe “Blueberry pancakes” is published."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Blueberry pancakes")
    expect(page.get_by_role("listitem").filter(has_text="150 g blueberries")).to_be_visible()
    assert_image_loaded(page.get_by_role("img", name="A stack of pancakes with blueberries"))

    page.get_by_role("link", name="Recipes", exact=True).click()
    card = page.get_by_role("article").filter(has_text="Blueberry pancakes")
    expect(card).to_contain_text("by cook")
    assert_image_loaded(card.get_by_role("img", name="A stack of pancakes with blueberries"))
    recipe = Recipe.objects.get()
    assert card.get_by_role("img").get_attribute("src") == recipe.thumbnail.url

    card.get_by_role("link", name="Blueberry pancakes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Blueberry pancakes")


@pytest.fixture
def filed_recipes(categories):
    """Recipes on the shelves the admin filters by; some on both, some on neither."""
    shelves = {
        "Lentil soup": ["vegetarian", "soup"],
        "Chocolate mousse": ["vegetarian", "dessert"],
        "Apple pie": ["dessert"],
        "Beef stew": ["main-course"],
    }
    return {
        title: RecipeFactory.create(title=title, categories=[categories[slug] for slug in slugs])
        for title, slugs in shelves.items()
    }


def _listed_titles(page: Page) -> list[str]:
    return sorted(page.locator("#result_list tbody .field-title").all_inner_texts())


def test_an_admin_filters_the_recipes_by_vegetarian_and_by_dessert(
    page, live_server, filed_recipes
):
    SuperuserFactory.create(username="boss")

    _log_in_through_the_form(page, f"{live_server.url}/admin/login/", "boss")
    page.goto(f"{live_server.url}/admin/recipes/recipe/")
    expect(page.locator("#result_list tbody tr")).to_have_count(4)
    filters = page.locator("#changelist-filter")

    filters.get_by_role("link", name="Vegetarian", exact=True).click()
    expect(page).to_have_url(re.compile(r"categories__id__exact=\d+"))
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    assert _listed_titles(page) == ["Chocolate mousse", "Lentil soup"]

    filters.get_by_role("link", name="Dessert", exact=True).click()
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    assert _listed_titles(page) == ["Apple pie", "Chocolate mousse"]
