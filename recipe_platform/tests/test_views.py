"""The public pages and the author's pages, through HTTP."""

import json
import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from recipes.models import Recipe
from tests.factories import RecipeFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/recipes/"


def _json_ld(response):
    match = re.search(
        r'<script type="application/ld\+json" nonce="[^"]+">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "no JSON-LD script in the page"
    return json.loads(match.group(1))


# --- The list ------------------------------------------------------------------------------


def test_the_home_page_sends_visitors_to_the_recipes(client):
    assertRedirects(client.get("/"), LIST_URL)


def test_the_list_is_public_and_shows_cards_with_lazy_thumbnails(client):
    recipe = RecipeFactory.create(photo=True, title="Borscht")

    response = client.get(LIST_URL)

    assertContains(response, "Borscht")
    assertContains(response, f'src="{recipe.thumbnail.url}"')
    assertContains(response, f'srcset="{recipe.image_srcset}"')
    assertContains(response, 'loading="lazy"')
    assertContains(response, f'alt="{recipe.image_alt}"')


def test_the_list_searches_titles_descriptions_and_ingredients(client):
    RecipeFactory.create(title="Lemon cake")
    RecipeFactory.create(title="Fish", description="With a squeeze of lemon")
    RecipeFactory.create(title="Tea", ingredients="water\nlemon slice")
    RecipeFactory.create(title="Rice")

    response = client.get(LIST_URL, {"q": "LEMON"})

    titles = {recipe.title for recipe in response.context["recipes"]}
    assert titles == {"Lemon cake", "Fish", "Tea"}


def test_the_list_filters_by_category_slug(client, categories):
    soup = RecipeFactory.create(categories=[categories["soup"]])
    RecipeFactory.create(categories=[categories["dessert"]])

    response = client.get(LIST_URL, {"category": "soup"})

    assert [recipe.pk for recipe in response.context["recipes"]] == [soup.pk]
    assertContains(response, "<title>Soup recipes · Community Kitchen</title>", html=False)


def test_search_and_category_combine(client, categories):
    match = RecipeFactory.create(title="Tomato soup", categories=[categories["soup"]])
    RecipeFactory.create(title="Tomato salad", categories=[categories["salad"]])
    RecipeFactory.create(title="Onion soup", categories=[categories["soup"]])

    response = client.get(LIST_URL, {"category": "soup", "q": "tomato"})

    assert [recipe.pk for recipe in response.context["recipes"]] == [match.pk]


def test_an_unknown_category_is_a_404_with_the_list_and_its_error(client):
    RecipeFactory.create()

    response = client.get(LIST_URL, {"category": "pizza"})

    assert list(response.context["recipes"]) == []
    assertContains(response, "There is no such category.", status_code=404)
    assertContains(response, "Show all recipes", status_code=404)


@pytest.mark.parametrize("query", ["x" * 101, "soup\x00"], ids=["too-long", "nul-byte"])
def test_a_search_the_form_refuses_is_a_400_with_its_error(client, query):
    RecipeFactory.create(title="Soup")

    response = client.get(LIST_URL, {"q": query})

    assert response.status_code == 400
    assert list(response.context["recipes"]) == []
    assert response.context["search_form"].errors["q"]


def test_the_list_is_paginated_twelve_to_a_page(client):
    RecipeFactory.create_batch(13)

    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"page": 2})

    assert len(first.context["recipes"]) == 12
    assert len(second.context["recipes"]) == 1
    assertContains(first, 'href="?page=2"')


def test_pagination_links_keep_the_search(client):
    RecipeFactory.create_batch(13, title="Soup")

    response = client.get(LIST_URL, {"q": "soup"})

    assertContains(response, 'href="?q=soup&amp;page=2"')


def test_a_page_number_past_the_end_is_404(client):
    RecipeFactory.create()

    assert client.get(LIST_URL, {"page": 9}).status_code == 404


@pytest.mark.parametrize(("rows", "queries"), [(2, 3), (12, 3), (13, 4), (30, 4)])
def test_the_list_costs_four_queries_whatever_the_number_of_recipes(
    client, categories, django_assert_num_queries, rows, queries
):
    # Categories for the filter bar, the count (capped; none when the first page holds every
    # recipe), the page with authors, the page's categories.
    for recipe in RecipeFactory.create_batch(rows, photo=False):
        recipe.categories.set([categories["soup"], categories["vegan"]])

    with django_assert_num_queries(queries):
        client.get(LIST_URL)
    # A search first counts its matches to pick its plan (recipes.search): one more.
    with django_assert_num_queries(queries + 1):
        client.get(LIST_URL, {"category": "soup", "q": "recipe"})


def test_a_logged_in_visitor_adds_only_the_session_and_user_queries(
    user_client, django_assert_num_queries
):
    RecipeFactory.create_batch(13)

    with django_assert_num_queries(6):
        user_client.get(LIST_URL)


# --- The detail page -----------------------------------------------------------------------


def test_the_detail_page_shows_the_whole_recipe(client, categories):
    recipe = RecipeFactory.create(
        title="Pea soup",
        ingredients="500 g peas\n1 onion",
        instructions="1. Soften the onion.\n2. Add the peas.",
        categories=[categories["soup"]],
        photo=True,
    )

    response = client.get(recipe.get_absolute_url())

    assertContains(response, "<h1>Pea soup</h1>", html=True)
    assertContains(response, '<li><strong class="quantity">500 g</strong> peas</li>', html=True)
    assertContains(response, '<ol class="steps"><li>Soften the onion.</li><li>Add the peas.</li>')
    assertContains(response, 'href="/recipes/?category=soup"')
    assertContains(response, recipe.author.username)
    assertContains(response, f'srcset="{recipe.image_srcset}"')
    assertContains(response, f'src="{recipe.image.url}"')
    assertContains(response, f'width="{recipe.image_width}" height="{recipe.image_height}"')


def test_the_detail_page_shows_more_from_the_author_lazily(client):
    recipe = RecipeFactory.create()
    other = RecipeFactory.create(author=recipe.author, photo=True, title="Another one")

    response = client.get(recipe.get_absolute_url())

    assertContains(response, "More from")
    assertContains(response, f'src="{other.thumbnail.url}"')
    assertContains(response, 'loading="lazy"')


def test_the_detail_page_costs_six_queries(client, django_assert_num_queries):
    recipe = RecipeFactory.create()
    RecipeFactory.create_batch(5, author=recipe.author)

    # The recipe with its author, its categories, its ingredients, more from the author, the
    # ratings and comments section (community/) and the photo gallery (gallery/).
    with django_assert_num_queries(6):
        client.get(recipe.get_absolute_url())


def test_an_unknown_recipe_is_a_friendly_404(client):
    response = client.get("/recipes/no-such-dish/")

    assert response.status_code == 404
    assertContains(response, "We could not find that page", status_code=404)


def test_the_detail_page_describes_the_recipe_in_json_ld(client, categories):
    recipe = RecipeFactory.create(
        title="Lentil dal",
        description="Golden and creamy.",
        prep_minutes=10,
        cook_minutes=95,
        servings=4,
        ingredients="250 g red lentils\n1 onion",
        instructions="Rinse the lentils.\nSimmer.",
        categories=[categories["vegan"], categories["soup"]],
        photo=True,
    )

    data = _json_ld(client.get(recipe.get_absolute_url()))

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Recipe"
    assert data["name"] == "Lentil dal"
    assert data["description"] == "Golden and creamy."
    assert data["url"] == f"http://testserver/recipes/{recipe.slug}/"
    assert data["author"] == {"@type": "Person", "name": recipe.author.username}
    assert data["prepTime"] == "PT10M"
    assert data["cookTime"] == "PT1H35M"
    assert data["totalTime"] == "PT1H45M"
    assert data["recipeYield"] == "4 servings"
    assert data["recipeCategory"] == ["Soup", "Vegan"]
    assert data["recipeIngredient"] == ["250 g red lentils", "1 onion"]
    assert data["recipeInstructions"] == [
        {"@type": "HowToStep", "text": "Rinse the lentils."},
        {"@type": "HowToStep", "text": "Simmer."},
    ]
    assert data["image"] == [
        f"http://testserver{recipe.image.url}",
        f"http://testserver{recipe.thumbnail.url}",
    ]
    assert data["datePublished"] == recipe.created.date().isoformat()


def test_json_ld_cannot_be_broken_out_of_by_a_title(client):
    title = "</script><script>alert(1)</script> & more"
    recipe = RecipeFactory.create(title=title)

    response = client.get(recipe.get_absolute_url())

    assertNotContains(response, "<script>alert(1)")
    assert _json_ld(response)["name"] == title


def test_json_ld_has_no_image_for_a_recipe_without_a_photo(client):
    recipe = RecipeFactory.create()

    assert "image" not in _json_ld(client.get(recipe.get_absolute_url()))


def test_the_author_sees_edit_and_delete_links_others_do_not(client, user, user_client):
    recipe = RecipeFactory.create(author=user)
    edit_url = reverse("recipes:update", args=[recipe.slug])

    assertContains(user_client.get(recipe.get_absolute_url()), edit_url)
    assertNotContains(client.get(recipe.get_absolute_url()), edit_url)


# --- Creating --------------------------------------------------------------------------------


def test_the_new_recipe_form_uploads_files(user_client):
    response = user_client.get("/recipes/new/")

    assertContains(response, 'enctype="multipart/form-data"')
    assertContains(response, 'accept="image/jpeg,image/png,image/webp"')
    assertContains(response, "<title>Share a recipe · Community Kitchen</title>")


def test_creating_a_recipe_makes_the_user_its_author(user, other_user, user_client, recipe_data):
    response = user_client.post("/recipes/new/", recipe_data(author=other_user.pk), follow=True)

    recipe = Recipe.objects.get()
    assert recipe.author == user
    assert recipe.slug == "sunday-pancakes"
    assertRedirects(response, "/recipes/sunday-pancakes/")
    assertContains(response, "Your recipe “Sunday pancakes” is published.")


def test_creating_a_recipe_sets_its_categories(user_client, recipe_data, categories):
    ids = [categories["breakfast"].pk, categories["vegetarian"].pk]

    user_client.post("/recipes/new/", recipe_data(categories=ids))

    assert set(Recipe.objects.get().categories.values_list("slug", flat=True)) == {
        "breakfast",
        "vegetarian",
    }


def test_errors_are_shown_next_to_their_fields(user_client, recipe_data):
    response = user_client.post("/recipes/new/", recipe_data(title="", servings=0))

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "servings"}
    assertContains(response, 'aria-invalid="true"', count=2)
    assertContains(response, 'id="id_title_error"')
    assert not Recipe.objects.exists()


# --- Editing and deleting --------------------------------------------------------------------


def test_the_author_edits_a_recipe_and_its_address_stays(user, user_client, recipe_data):
    recipe = RecipeFactory.create(author=user, slug="pancakes", title="Pancakes")

    response = user_client.post(
        "/recipes/pancakes/edit/", recipe_data(title="Better pancakes"), follow=True
    )

    recipe.refresh_from_db()
    assert recipe.title == "Better pancakes"
    assert recipe.slug == "pancakes"
    assertContains(response, "Your changes to “Better pancakes” are saved.")


def test_the_edit_form_shows_the_current_photo_to_replace_and_no_remove_option(user, user_client):
    recipe = RecipeFactory.create(author=user, photo=True)

    response = user_client.get(f"/recipes/{recipe.slug}/edit/")

    assertContains(response, f'src="{recipe.thumbnail.url}"')
    assertContains(response, "The current photo. Choose a file to replace it.")
    assertNotContains(response, 'name="remove_image"')


def test_the_delete_page_asks_for_confirmation(user, user_client):
    recipe = RecipeFactory.create(author=user, title="Pancakes")

    response = user_client.get(f"/recipes/{recipe.slug}/delete/")

    assertContains(response, "Delete “Pancakes”?")
    assertContains(response, 'method="post"')
    assert Recipe.objects.filter(pk=recipe.pk).exists()


def test_the_author_deletes_a_recipe_and_its_photo(
    user, user_client, media_files, django_capture_on_commit_callbacks
):
    recipe = RecipeFactory.create(author=user, photo=True, title="Pancakes")

    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.post(f"/recipes/{recipe.slug}/delete/", follow=True)

    assertRedirects(response, "/recipes/mine/")
    assertContains(response, "“Pancakes” was deleted.")
    assert not Recipe.objects.exists()
    assert media_files() == []


# --- My recipes ------------------------------------------------------------------------------


def test_my_recipes_lists_only_mine(user, user_client):
    mine = RecipeFactory.create(author=user, title="Mine")
    RecipeFactory.create(title="Someone else's")

    response = user_client.get("/recipes/mine/")

    assert list(response.context["recipes"]) == [mine]
    assertContains(response, f"/recipes/{mine.slug}/edit/")


def test_my_recipes_needs_a_login(client):
    assertRedirects(client.get("/recipes/mine/"), "/accounts/login/?next=/recipes/mine/")


@pytest.mark.parametrize("rows", [1, 20])
def test_my_recipes_costs_the_same_whatever_the_number(
    user, user_client, django_assert_num_queries, rows
):
    RecipeFactory.create_batch(rows, author=user)

    # Session, user, count, page.
    with django_assert_num_queries(4):
        user_client.get("/recipes/mine/")


def test_my_recipes_invites_a_first_recipe(user_client):
    assertContains(user_client.get("/recipes/mine/"), "You have not shared a recipe yet.")
