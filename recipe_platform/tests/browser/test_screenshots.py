"""The README's screenshots, taken from the demo data: ``nox -s "screenshots(recipe_platform)"``.

In an ordinary test run nothing is saved, but each screen is still checked: it shows what the
picture is meant to show, and (for the site's own pages) passes axe-core.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from shared.browser import assert_accessible, save_screenshots

from community.models import Comment
from recipes.models import Category, Recipe
from tests.browser.pages import BROWSER_TEST, assert_image_loaded

pytestmark = [*BROWSER_TEST, pytest.mark.screenshots]

FEATURED = "Fluffy buttermilk pancakes"


@pytest.fixture
def demo(django_user_model):
    call_command("load_demo_data", stdout=None)
    return {user.username: user for user in django_user_model.objects.all()}


def _save(page, name, screenshot_dir):
    if screenshot_dir is not None:
        save_screenshots(page, name, screenshot_dir)


def test_recipe_list(page, live_server, demo, screenshot_dir):
    page.goto(f"{live_server.url}/recipes/")

    expect(page.get_by_role("article")).to_have_count(12)
    assert_image_loaded(page.get_by_role("article").first.get_by_role("img"))
    assert_accessible(page)
    _save(page, "recipe-list", screenshot_dir)


def test_recipe_detail(page, live_server, demo, screenshot_dir):
    recipe = Recipe.objects.get(title=FEATURED)

    page.goto(f"{live_server.url}{recipe.get_absolute_url()}")

    expect(page.get_by_role("heading", level=1)).to_have_text(FEATURED)
    # The hero; the cover's thumbnail opens the photo gallery below it (gallery/).
    assert_image_loaded(page.get_by_role("img", name=recipe.image_alt).first)
    assert_accessible(page)
    _save(page, "recipe-detail", screenshot_dir)


def test_new_recipe_form(page, live_server, log_in, demo, screenshot_dir):
    log_in(demo["cook"])

    page.goto(f"{live_server.url}/recipes/new/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Share a recipe")
    expect(page.get_by_label("Photo:", exact=True)).to_have_attribute(
        "accept", "image/jpeg,image/png,image/webp"
    )
    assert_accessible(page)
    _save(page, "new-recipe-form", screenshot_dir)


def test_admin_changelist_filtered_by_category(page, live_server, log_in, demo, screenshot_dir):
    log_in(demo["admin"])
    dessert = Category.objects.get(slug="dessert")

    page.goto(f"{live_server.url}/admin/recipes/recipe/?categories__id__exact={dessert.pk}")

    expect(page.locator("#result_list tbody tr")).to_have_count(dessert.recipes.count())
    expect(page.locator("#changelist-filter .selected")).to_contain_text(["Dessert"])
    _save(page, "admin-recipes-by-category", screenshot_dir)


def test_top_rated(page, live_server, demo, screenshot_dir):
    page.goto(f"{live_server.url}/community/top-rated/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Top rated")
    expect(page.locator(".card .rating-average").first).to_contain_text("★")
    assert_accessible(page)
    _save(page, "top-rated", screenshot_dir)


def test_recipe_ratings_and_comments(page, live_server, log_in, demo, screenshot_dir):
    log_in(demo["cook"])
    recipe = Comment.objects.visible().filter(recipe__author=demo["admin"])[0].recipe

    page.goto(f"{live_server.url}{recipe.get_absolute_url()}#community")

    expect(page.locator(".community-summary")).to_contain_text("★")
    expect(page.locator(".comments .comment").first).to_be_visible()
    assert_accessible(page)
    _save(page, "recipe-ratings-and-comments", screenshot_dir)


def test_my_favourites(page, live_server, log_in, demo, screenshot_dir):
    log_in(demo["cook"])

    page.goto(f"{live_server.url}/community/favourites/")

    expect(page.get_by_role("heading", level=1)).to_have_text("My favourites")
    expect(page.get_by_role("article").first).to_be_visible()
    assert_accessible(page)
    _save(page, "my-favourites", screenshot_dir)


def test_scaled_recipe(page, live_server, log_in, demo, screenshot_dir):
    log_in(demo["cook"])
    recipe = Recipe.objects.get(title=FEATURED)

    page.goto(f"{live_server.url}{recipe.get_absolute_url()}?servings=6&units=us")

    ingredients = page.get_by_role("region", name="Ingredients")
    expect(ingredients).to_contain_text("For 6 servings (the recipe serves 4;")
    expect(ingredients.get_by_role("listitem").first).to_have_text("13 oz flour")
    ingredients.scroll_into_view_if_needed()
    assert_accessible(page)
    _save(page, "recipe-scaled", screenshot_dir)


def test_shopping_list(page, live_server, log_in, demo, screenshot_dir):
    log_in(demo["cook"])

    page.goto(f"{live_server.url}/shopping/")

    expect(page.get_by_role("heading", level=1)).to_have_text("My shopping list")
    expect(page.get_by_role("button", name="375 g flour", pressed=True)).to_be_visible()
    assert_accessible(page)
    _save(page, "shopping-list", screenshot_dir)


def test_version_history_diff(page, live_server, log_in, demo, screenshot_dir):
    log_in(demo["cook"])
    recipe = Recipe.objects.get(title="Shakshuka")

    page.goto(f"{live_server.url}/recipes/{recipe.slug}/history/compare/")

    expect(page.get_by_role("heading", level=3, name="Photo", exact=True)).to_be_visible()
    assert_image_loaded(page.locator(".diff-photo img").first)
    assert_accessible(page)
    _save(page, "version-history-diff", screenshot_dir)
