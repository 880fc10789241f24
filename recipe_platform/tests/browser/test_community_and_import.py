"""Ratings, comments, favourites and import from a URL in a real browser, with axe-core.

Every page these features add is checked by axe-core (no "serious" or "critical" violation) and
under the strict Content-Security-Policy (shared's ``page`` fixture fails on any violation).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from shared.browser import assert_accessible

from community import services
from community.models import Comment, Favourite, Rating
from tests.browser.pages import BROWSER_TEST, assert_image_loaded
from tests.community.conftest import make_recipe, make_user
from tests.importer.recipe_site import running_site

pytestmark = BROWSER_TEST


@pytest.fixture
def recipe(user):
    recipe = make_recipe(author=user, title="Lentil soup", slug="lentil-soup")
    neighbour = make_user("amira")
    services.rate(recipe=recipe, user=neighbour, stars=4)
    services.add_comment(recipe=recipe, author=neighbour, body="Lovely with lemon.")
    return recipe


def test_a_cook_rates_comments_and_saves_a_favourite(page, live_server, log_in, recipe, other_user):
    log_in(other_user)
    page.goto(f"{live_server.url}/recipes/lentil-soup/")
    expect(page.locator(".community-summary")).to_contain_text("★ 4.0 (1 rating)")
    assert_accessible(page)

    page.get_by_label("5 stars").check()
    page.get_by_role("button", name="Rate").click()
    expect(page.get_by_role("status")).to_contain_text("You rated “Lentil soup” 5 out of 5.")
    expect(page.locator(".community-summary")).to_contain_text("★ 4.5 (2 ratings)")

    page.get_by_label("Your comment").fill("Added cumin, perfect.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_role("status")).to_contain_text("Your comment is posted.")
    expect(page.locator(".comments")).to_contain_text("Added cumin, perfect.")

    page.get_by_role("button", name="Save to favourites").click()
    expect(page.get_by_role("button", name="Remove from favourites")).to_be_visible()
    page.get_by_role("link", name="My favourites").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My favourites")
    expect(page.locator(".card-title")).to_have_text(["Lentil soup"])
    assert_accessible(page)
    assert Rating.objects.get(user=other_user).stars == 5
    assert Favourite.objects.filter(user=other_user).exists()


def test_the_author_hides_a_comment(page, live_server, log_in, recipe, user):
    log_in(user)
    page.goto(f"{live_server.url}/recipes/lentil-soup/")

    page.get_by_role("button", name="Hide the comment by amira").click()

    expect(page.get_by_role("status")).to_contain_text("The comment is hidden.")
    expect(page.locator("#community")).not_to_contain_text("Lovely with lemon.")
    assert Comment.objects.get().hidden_by == user


def test_a_refused_comment_page_is_accessible(page, live_server, log_in, recipe, other_user):
    log_in(other_user)
    page.goto(f"{live_server.url}/recipes/lentil-soup/")
    page.locator("form.comment-form").evaluate("form => form.noValidate = true")

    page.get_by_role("button", name="Post comment").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your comment on “Lentil soup”")
    expect(page.locator(".field-error")).to_contain_text("This field is required.")
    assert_accessible(page)


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/community/top-rated/", "Top rated"),
        ("/community/recipes/lentil-soup/comments/", "Comments on Lentil soup"),
    ],
    ids=["top-rated", "comments"],
)
def test_public_community_pages_are_accessible(page, live_server, recipe, path, heading):
    page.goto(live_server.url + path)

    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page)


def test_empty_favourites_and_the_import_page_are_accessible(page, live_server, log_in, user):
    log_in(user)
    page.goto(f"{live_server.url}/community/favourites/")
    expect(page.get_by_text("You have not saved a recipe yet.")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/import/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a recipe from its address")
    assert_accessible(page)


def test_an_import_fills_in_the_form_with_the_photo(page, live_server, log_in, user, settings):
    settings.RECIPE_IMPORT_ALLOW_LOOPBACK = True
    log_in(user)
    with running_site() as site:
        page.goto(f"{live_server.url}/import/")
        page.get_by_label("Address of the recipe page").fill(site.url("/recipe"))
        page.get_by_role("button", name="Import").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Share a recipe")
        expect(page.get_by_label("Title")).to_have_value("Grandma's plum cake")
        expect(page.get_by_role("status")).to_contain_text("Imported. Check every field")
        assert_image_loaded(page.locator(".photo-preview img"))
        assert_accessible(page)


def test_a_refused_import_shows_the_reason_beside_the_address(page, live_server, log_in, user):
    log_in(user)
    page.goto(f"{live_server.url}/import/")

    page.get_by_label("Address of the recipe page").fill("http://169.254.169.254/latest/")
    page.get_by_role("button", name="Import").click()

    expect(page.locator(".field-error")).to_contain_text("private network")
    assert_accessible(page)
