"""A cook reads the history of their recipe, compares two versions and restores one."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from shared.browser import assert_accessible

from recipes import services
from recipes.ingredients import parse_lines
from recipes.models import Recipe
from tests.browser.pages import BROWSER_TEST, assert_image_loaded
from tests.factories import RecipeFactory
from tests.versions.conftest import new_photo

pytestmark = BROWSER_TEST


@pytest.fixture
def edited_recipe(user, categories):
    """A recipe edited twice: its title and rows, then its photo."""
    recipe = RecipeFactory.create(title="Tomato soup", author=user, photo=True)
    for change in ("title", "photo"):
        recipe = Recipe.objects.get(pk=recipe.pk)
        if change == "title":
            recipe.title = "Roasted tomato soup"
        services.save_recipe(
            recipe=recipe,
            categories=[categories["soup"]],
            image=new_photo() if change == "photo" else None,
            image_alt="A bowl of roasted tomato soup",
            ingredients=parse_lines("1 kg tomatoes\n1 onion") if change == "title" else None,
            editor=user,
        )
    return Recipe.objects.get(pk=recipe.pk)


def test_the_history_and_the_diff_are_accessible_and_a_version_comes_back(
    page, live_server, log_in, edited_recipe
):
    log_in(edited_recipe.author)
    page.goto(f"{live_server.url}{edited_recipe.get_absolute_url()}")
    page.get_by_role("link", name="History").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("History of “Roasted tomato soup”")
    expect(page.get_by_role("listitem").filter(has_text="Changed the photo")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="What changed").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Changes to “Roasted tomato soup”")
    photos = page.locator(".diff-photo img")
    expect(photos).to_have_count(2)
    for index in range(2):  # the old photo is still stored, and the browser decodes both
        assert_image_loaded(photos.nth(index))
    assert_accessible(page)

    page.get_by_label("Older version").select_option(index=2)  # the first version kept
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("del").filter(has_text="200 g flour")).to_be_visible()
    expect(page.locator("ins").filter(has_text="1 kg tomatoes")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Restore the older version").click()
    expect(page.get_by_role("status")).to_contain_text("is back as it was in that version")
    expect(page.locator(".version").first).to_contain_text("Restored an earlier version")
    recipe = Recipe.objects.get(pk=edited_recipe.pk)
    assert recipe.title == "Tomato soup"
    assert [str(row) for row in recipe.ingredients.all()] == [
        "200 g flour",
        "2 eggs",
        "300 ml milk",
    ]
