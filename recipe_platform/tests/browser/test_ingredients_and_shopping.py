"""Issue 18 in a real browser: ingredient rows without JavaScript, the scaling switch, and the
shopping list from a recipe page to the print page, each screen checked by axe-core."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

import pytest
from django.test import Client
from playwright.sync_api import Browser, Page, expect
from shared.browser import assert_accessible
from shared.factories import UserFactory
from shared.images import make_image

from accounts.models import User
from recipes.models import Recipe
from shopping.models import ShoppingItem
from tests.browser.pages import BROWSER_TEST
from tests.factories import RecipeFactory

pytestmark = BROWSER_TEST


@pytest.fixture
def no_script_page(chromium: Browser, live_server) -> Iterator[Page]:
    """A tab with JavaScript switched off, logged in as a cook."""
    cook = User.objects.create_user(username="cook")
    client = Client()
    client.force_login(cook)
    context = chromium.new_context(java_script_enabled=False, locale="en-US")
    context.set_default_timeout(10_000)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    yield context.new_page()
    context.close()


def test_without_javascript_a_cook_adds_rows_reads_a_pasted_list_and_publishes(
    no_script_page, live_server, tmp_path
):
    page = no_script_page
    photo = tmp_path / "soup.jpg"
    photo.write_bytes(make_image("JPEG", size=(800, 600)))
    page.goto(f"{live_server.url}/recipes/new/")
    page.get_by_label("Title:", exact=True).fill("Lentil soup")
    page.get_by_label("Quantity, row 1").fill("1 ½")
    page.get_by_label("Unit, row 1").select_option("cup")
    page.get_by_label("Item, row 1").fill("red lentils")
    page.get_by_label("Photo:", exact=True).set_input_files(photo)
    page.get_by_label("Photo description:", exact=True).fill("A bowl of lentil soup")

    page.get_by_role("button", name="Add more rows").click()

    expect(page.get_by_label("Item, row 1")).to_have_value("red lentils")
    expect(page.get_by_label("Quantity, row 4")).to_be_visible()
    expect(page.get_by_label("Title:", exact=True)).to_have_value("Lentil soup")
    expect(page.get_by_text("Your photo is uploaded and kept.")).to_be_visible()

    page.get_by_label("Paste ingredients:").fill(
        "1 onion, chopped\n2-3 cloves garlic\nsalt, to taste"
    )
    page.get_by_role("button", name="Read the list into rows").click()

    expect(page.get_by_label("Item, row 2")).to_have_value("onion")
    expect(page.get_by_label("Note, row 2")).to_have_value("chopped")
    expect(page.get_by_label("Quantity, row 3")).to_have_value("2-3")
    expect(page.get_by_label("Paste ingredients:")).to_have_value("")

    page.get_by_label("Instructions:", exact=True).fill("Soften the onion.\nSimmer everything.")
    page.get_by_label("Preparation time (minutes):", exact=True).fill("10")
    page.get_by_label("Cooking time (minutes):", exact=True).fill("30")
    page.get_by_label("Servings:", exact=True).fill("4")
    page.get_by_role("button", name="Publish recipe").click()

    expect(page).to_have_url(f"{live_server.url}/recipes/lentil-soup/")
    recipe = Recipe.objects.get()
    assert [str(line) for line in recipe.scaled_ingredients()] == [
        "1 ½ cups red lentils",
        "1 onion, chopped",
        "2\N{EN DASH}3 cloves garlic",
        "salt, to taste",
    ]


def test_a_cook_scales_a_recipe_switches_units_and_shops_for_it(page, live_server, log_in):
    cook = UserFactory.create(username="cook")
    RecipeFactory.create(
        title="Pancakes",
        slug="pancakes",
        servings=4,
        photo=True,
        ingredients="250 g flour\n1 ½ cups milk\n2 eggs\nsalt, to taste",
    )
    log_in(cook)
    page.goto(f"{live_server.url}/recipes/pancakes/")
    ingredients = page.get_by_role("region", name="Ingredients")

    ingredients.get_by_label("Servings:", exact=True).fill("6")
    ingredients.get_by_label("Units:").select_option("us")
    ingredients.get_by_role("button", name="Show").click()

    expect(page).to_have_url(f"{live_server.url}/recipes/pancakes/?servings=6&units=us")
    expect(ingredients.get_by_role("listitem")).to_have_text(
        ["13 oz flour", "2 ¼ cups milk", "3 eggs", "salt, to taste"]
    )
    expect(ingredients).to_contain_text("For 6 servings (the recipe serves 4;")
    assert_accessible(page)

    ingredients.get_by_role("button", name="Add to my shopping list").click()

    expect(page).to_have_url(f"{live_server.url}/shopping/")
    expect(page.get_by_role("status")).to_contain_text("“Pancakes” for 6 is on your shopping list.")
    assert ShoppingItem.objects.get(key="flour").quantity == Fraction(375)
    page.get_by_role("button", name="3 eggs", pressed=False).click()
    expect(page.get_by_role("status")).to_contain_text("“eggs” is ticked off.")
    expect(page.get_by_role("button", name="3 eggs")).to_have_attribute("aria-pressed", "true")
    assert_accessible(page)

    page.get_by_role("link", name="Print the list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Shopping list")
    expect(page.get_by_role("listitem").filter(has_text="eggs")).to_have_count(0)
    page.emulate_media(media="print")
    expect(page.get_by_role("banner")).to_be_hidden()
    expect(page.get_by_text("375 g")).to_be_visible()
    page.emulate_media(media="screen")
    assert_accessible(page)
