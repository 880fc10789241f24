"""axe-core on every main page: no violation of impact "serious" or "critical"."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from shared.browser import assert_accessible

from tests.browser.pages import BROWSER_TEST
from tests.factories import RecipeFactory

pytestmark = BROWSER_TEST


@pytest.fixture
def recipe(user, categories):
    """A recipe with a photo, next to one without, so both kinds of card are on the list."""
    RecipeFactory.create(title="Plain toast", author=user)
    return RecipeFactory.create(
        title="Tomato soup",
        author=user,
        photo=True,
        categories=[categories["soup"], categories["vegan"]],
    )


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/recipes/", "Recipes from our community"),
        ("/recipes/?category=soup", "Soup recipes"),
        ("/recipes/?q=nothing-matches", "Recipes from our community"),
        ("/recipes/{slug}/", "Tomato soup"),
        ("/accounts/login/", "Log in"),
        ("/accounts/signup/", "Create an account"),
        ("/recipes/no-such-recipe/", "We could not find that page"),
    ],
    ids=["list", "list-by-category", "list-empty", "detail", "login", "signup", "404"],
)
def test_public_pages_are_accessible(page, live_server, recipe, path, heading):
    page.goto(live_server.url + path.format(slug=recipe.slug))

    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page)


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/recipes/new/", "Share a recipe"),
        ("/recipes/mine/", "My recipes"),
        ("/recipes/{slug}/edit/", "Edit “Tomato soup”"),
        ("/recipes/{slug}/delete/", "Delete “Tomato soup”?"),
        ("/recipes/{slug}/?servings=7&units=us", "Tomato soup"),
        ("/shopping/", "My shopping list"),
        ("/shopping/print/", "Shopping list"),
        ("/shopping/add/{slug}/", "Add “Tomato soup” to my shopping list"),
    ],
    ids=[
        "new-recipe",
        "my-recipes",
        "edit",
        "delete",
        "scaled-recipe",
        "shopping-list",
        "shopping-print",
        "shopping-add",
    ],
)
def test_pages_for_cooks_are_accessible(page, live_server, log_in, recipe, path, heading):
    log_in(recipe.author)

    page.goto(live_server.url + path.format(slug=recipe.slug))

    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page)


def test_the_recipe_form_with_errors_is_accessible(page, live_server, log_in, user):
    log_in(user)
    page.goto(f"{live_server.url}/recipes/new/")
    # Let the server, not the browser, judge the empty form.
    page.locator("form.recipe-form").evaluate("form => form.noValidate = true")

    page.get_by_role("button", name="Publish recipe").click()

    expect(page.get_by_role("alert")).to_contain_text("Please correct the fields marked below.")
    expect(page.locator(".field-error").first).to_be_visible()
    assert_accessible(page)


def test_a_filled_shopping_list_with_a_ticked_item_is_accessible(page, live_server, log_in, recipe):
    from shopping import services
    from shopping.models import ShoppingItem

    services.add_recipe(owner=recipe.author, recipe=recipe, servings=4)
    ShoppingItem.objects.filter(key="egg").update(ticked=True)
    log_in(recipe.author)

    page.goto(f"{live_server.url}/shopping/")

    expect(page.get_by_role("button", name="Remove the 1 ticked item")).to_be_visible()
    assert_accessible(page)
