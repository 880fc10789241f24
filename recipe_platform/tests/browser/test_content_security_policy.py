"""The Content-Security-Policy in a real browser: the pages that need a script or a style still
work. (shared's ``page`` fixture fails any test during which Chromium reports a violation.)"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from shared.factories import DEFAULT_PASSWORD, SuperuserFactory, UserFactory

from recipes.models import Recipe
from tests.browser.pages import BROWSER_TEST
from tests.factories import RecipeFactory

pytestmark = BROWSER_TEST


def test_the_500_page_is_styled_by_its_inline_style_under_the_policy(page: Page, live_server):
    response = page.goto(f"{live_server.url}/failing-page/")

    assert response is not None
    assert response.status == 500
    expect(page.get_by_role("heading", level=1)).to_have_text("Something went wrong on our side")
    # The inline <style> ran: the error code has its colour, not the browser's black.
    expect(page.locator(".code")).to_have_css("color", "rgb(168, 67, 28)")


def test_the_recipe_page_with_its_json_ld_raises_no_violation(page: Page, live_server):
    recipe = RecipeFactory.create(title="Lentil soup", photo=True)

    page.goto(f"{live_server.url}{recipe.get_absolute_url()}")

    expect(page.get_by_role("heading", level=1)).to_have_text("Lentil soup")
    assert page.locator('script[type="application/ld+json"]').count() == 1


def test_an_admin_adds_a_recipe_with_the_admins_scripts_at_work(
    page: Page, live_server, categories
):
    SuperuserFactory.create(username="boss")
    UserFactory.create(username="grandma")
    RecipeFactory.create(title="Old favourite", photo=True)

    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("boss")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/admin/recipes/recipe/")
    expect(page.locator("#result_list img")).to_have_count(1)  # the thumbnail, no inline style
    page.goto(f"{live_server.url}/admin/recipes/recipe/add/")

    # prepopulate.js fills the slug from the title, key by key.
    page.get_by_label("Title:").press_sequentially("Grandma's lentil soup")
    expect(page.locator("#id_slug")).to_have_value("grandmas-lentil-soup")
    # The author's autocomplete (Select2) asks the admin's JSON view and shows its answer.
    page.locator("#id_author + .select2").click()
    page.locator(".select2-search__field").fill("grand")
    page.locator(".select2-results__option", has_text="grandma").click()
    # filter_horizontal (SelectFilter2.js) moves a category across.
    page.locator("#id_categories_from").select_option(label="Soup")
    page.locator("#id_categories_add").click()
    # The ingredient rows' inline (inlines.js) adds a row on "Add another".
    page.get_by_role("button", name="Add another Ingredient").click()
    page.locator("#id_ingredients-0-position").fill("1")
    page.locator("#id_ingredients-0-quantity_numerator").fill("200")
    page.locator("#id_ingredients-0-quantity_denominator").fill("1")
    page.locator("#id_ingredients-0-unit").select_option("g")
    page.locator("#id_ingredients-0-item").fill("lentils")
    page.get_by_label("Instructions:").fill("Simmer.\nBlend.")
    page.get_by_label("Preparation time (minutes):").fill("10")
    page.get_by_label("Cooking time (minutes):").fill("30")
    page.get_by_label("Servings:").fill("4")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page).to_have_url(re.compile(r"/admin/recipes/recipe/$"))
    recipe = Recipe.objects.get(slug="grandmas-lentil-soup")
    assert recipe.author.username == "grandma"
    assert [category.slug for category in recipe.categories.all()] == ["soup"]
    assert recipe.ingredient_list == ["200 g lentils"]
