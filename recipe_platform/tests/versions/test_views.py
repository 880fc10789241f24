"""The history pages: who sees them, what they show, what they cost."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from recipes.models import Category, RecipeVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def clients(client, user_client, other_user_client, staff_client):
    return {
        "anonymous": client,
        "author": user_client,
        "other": other_user_client,
        "staff": staff_client,
    }


@pytest.fixture
def recipe(publish, edit):
    recipe = publish()
    edit(recipe, title="Saturday pancakes", ingredients="300 g flour\n2 eggs\n400 ml milk")
    return recipe


def _versions(recipe):
    return list(RecipeVersion.objects.filter(recipe=recipe).order_by("revision_id"))


def _urls(recipe):
    oldest = _versions(recipe)[0]
    base = f"/recipes/{recipe.slug}/history/"
    return {"history": base, "compare": f"{base}compare/", "restore": f"{base}{oldest.pk}/restore/"}


# --- Permission matrix --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("author", 200), ("other", 404), ("staff", 200)]
)
@pytest.mark.parametrize("page", ["history", "compare"])
def test_reading_the_history(clients, recipe, who, status, page):
    response = clients[who].get(_urls(recipe)[page])

    assert response.status_code == status
    if who == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("who", "status", "title"),
    [
        ("anonymous", 302, "Saturday pancakes"),
        ("author", 302, "Sunday pancakes"),
        ("other", 404, "Saturday pancakes"),
        ("staff", 302, "Sunday pancakes"),
    ],
)
def test_restoring(clients, recipe, who, status, title):
    response = clients[who].post(_urls(recipe)["restore"])

    assert response.status_code == status
    recipe.refresh_from_db()
    assert recipe.title == title


@pytest.mark.parametrize("who", ["author", "other", "staff"])
def test_restoring_by_get_is_refused_and_changes_nothing(clients, recipe, who):
    response = clients[who].get(_urls(recipe)["restore"])

    assert response.status_code == 405
    recipe.refresh_from_db()
    assert recipe.title == "Saturday pancakes"


def test_a_version_of_another_recipe_is_not_found(user_client, recipe, publish):
    mine_too = publish(title="Waffles")
    other_version = _versions(mine_too)[0]

    response = user_client.post(f"/recipes/{recipe.slug}/history/{other_version.pk}/restore/")

    assert response.status_code == 404


def test_the_recipe_page_links_the_history_for_its_author_and_staff_only(clients, recipe):
    link = f'href="/recipes/{recipe.slug}/history/"'
    assertContains(clients["author"].get(recipe.get_absolute_url()), link)
    assertContains(clients["staff"].get(recipe.get_absolute_url()), link)
    assertNotContains(clients["other"].get(recipe.get_absolute_url()), link)
    assertNotContains(clients["anonymous"].get(recipe.get_absolute_url()), link)


# --- What the pages show ------------------------------------------------------------------------


def test_the_history_lists_who_when_and_what_changed(user_client, recipe, user):
    response = user_client.get(_urls(recipe)["history"])

    assertContains(response, "<title>History of “Saturday pancakes” · Community Kitchen</title>")
    assertContains(response, "Changed the title and the ingredients")
    assertContains(response, "Published")
    assertContains(response, user.username)
    # The newest is the recipe now: one restore button, for the older version.
    assert response.content.decode().count("/restore/") == 1


def test_the_diff_shows_only_what_changed_as_ins_and_del(user_client, recipe):
    response = user_client.get(_urls(recipe)["compare"])

    html = response.content.decode()
    headings = re.findall(r"<h3>(.*?)</h3>", html)
    assert headings == ["Title", "Ingredients"]
    assertContains(response, '<del><span class="visually-hidden">removed: </span>Sunday</del>')
    assertContains(response, '<ins><span class="visually-hidden">added: </span>Saturday</ins>')
    assertContains(response, '<del><span class="visually-hidden">removed: </span>250 g flour</del>')
    assertContains(response, '<ins><span class="visually-hidden">added: </span>300 g flour</ins>')
    assertContains(response, "<li>2 eggs</li>")  # unchanged lines are shown, unmarked
    assertNotContains(response, "Photo</h3>")


def test_the_diff_shows_both_photos_side_by_side(user_client, recipe, edit):
    before = recipe.image_files
    edit(recipe, photo=True)
    recipe.refresh_from_db()

    response = user_client.get(_urls(recipe)["compare"])

    assertContains(response, "<h3>Photo</h3>")
    assertContains(response, f"/media/{before[1]}")
    assertContains(response, f"/media/{recipe.thumbnail.name}")


def test_any_two_versions_can_be_compared_in_either_order(user_client, recipe, edit):
    edit(recipe, servings=6)
    first, _, third = _versions(recipe)

    response = user_client.get(_urls(recipe)["compare"], {"old": third.pk, "new": first.pk})

    headings = re.findall(r"<h3>(.*?)</h3>", response.content.decode())
    assert headings == ["Title", "Ingredients", "Servings"]


@pytest.mark.parametrize("value", ["abc", "0", "99999999999999999999", "1\x00"])
def test_a_version_that_is_not_one_of_the_recipes_is_a_400_with_the_form(
    user_client, recipe, value
):
    response = user_client.get(_urls(recipe)["compare"], {"new": value})

    assert response.status_code == 400
    assertContains(response, "Choose two versions of this recipe.", status_code=400)


def test_restoring_says_so_and_warns_of_a_deleted_category(user_client, recipe, edit):
    edit(recipe, categories=[Category.objects.get(slug="dessert")])
    Category.objects.get(slug="breakfast").delete()

    response = user_client.post(_urls(recipe)["restore"], follow=True)

    assertContains(response, "is back as it was in that version")
    assertContains(response, "filed under a category that has been deleted since")


def test_restoring_the_recipe_as_it_is_says_nothing_changed(user_client, publish):
    recipe = publish()
    version = _versions(recipe)[0]

    response = user_client.post(
        f"/recipes/{recipe.slug}/history/{version.pk}/restore/", follow=True
    )

    assertContains(response, "nothing changed")
    assert len(_versions(recipe)) == 1


def test_a_recipe_never_edited_since_the_history_began_has_nothing_to_compare(user_client, user):
    from tests.factories import RecipeFactory

    recipe = RecipeFactory.create(author=user)

    response = user_client.get(f"/recipes/{recipe.slug}/history/compare/")

    assertContains(response, "No version is kept yet")


# --- Fixed costs --------------------------------------------------------------------------------


def _with_versions(publish, edit, count):
    recipe = publish()
    for number in range(1, count):
        edit(recipe, title=f"Pancakes {number}")
    assert len(_versions(recipe)) == count
    return recipe


@pytest.mark.parametrize("count", [10, 50])
def test_the_history_page_costs_five_queries(user_client, publish, edit, count):
    recipe = _with_versions(publish, edit, count)
    url = _urls(recipe)["history"]

    with CaptureQueriesContext(connection) as queries:
        response = user_client.get(url)

    assert response.status_code == 200
    # Session, user, recipe, count, the page with its users and restored versions.
    assert len(queries) == 5


@pytest.mark.parametrize("count", [10, 50])
def test_the_diff_page_costs_six_queries(user_client, publish, edit, count):
    recipe = _with_versions(publish, edit, count)
    versions = _versions(recipe)
    url = _urls(recipe)["compare"]

    with CaptureQueriesContext(connection) as queries:
        response = user_client.get(url, {"old": versions[0].pk, "new": versions[-1].pk})

    assert response.status_code == 200
    # Session, user, recipe, the versions (the form's choices), both versions' rows, categories.
    assert len(queries) == 6
