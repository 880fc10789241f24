"""The recipe admin: category, photo and date filters, fixed query cost, photo preview."""

from datetime import timedelta

import pytest
from django.contrib.admin.filters import DateFieldListFilter
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from recipes.models import Category, Recipe
from tests.factories import RecipeFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/recipes/recipe/"

# Which default categories each recipe is filed under; "plain" has none.
FILED = {
    "vegetarian dessert": ["vegetarian", "dessert"],
    "vegan soup": ["vegan", "vegetarian", "soup"],
    "breakfast": ["breakfast"],
    "main course": ["main-course"],
    "salad": ["salad", "vegan"],
    "plain": [],
}


@pytest.fixture
def filed_recipes(categories):
    return {
        title: RecipeFactory.create(title=title, categories=[categories[slug] for slug in slugs])
        for title, slugs in FILED.items()
    }


@pytest.mark.parametrize(
    "slug", ["vegetarian", "vegan", "dessert", "breakfast", "main-course", "soup", "salad"]
)
def test_filtering_by_each_category_shows_exactly_its_recipes(
    superuser_client, filed_recipes, categories, slug
):
    response = superuser_client.get(CHANGELIST, {"categories__id__exact": categories[slug].pk})

    shown = {recipe.title for recipe in response.context["cl"].result_list}
    assert shown == {title for title, slugs in FILED.items() if slug in slugs}


def test_the_category_filter_offers_every_category(superuser_client, categories):
    response = superuser_client.get(CHANGELIST)

    for category in categories.values():
        assertContains(response, f"?categories__id__exact={category.pk}")


def test_filtering_by_photo(superuser_client):
    with_photo = RecipeFactory.create(photo=True)
    without = RecipeFactory.create()

    yes = superuser_client.get(CHANGELIST, {"has_image": "yes"})
    no = superuser_client.get(CHANGELIST, {"has_image": "no"})

    assert list(yes.context["cl"].result_list) == [with_photo]
    assert list(no.context["cl"].result_list) == [without]


def test_filtering_by_date(superuser_client):
    recent = RecipeFactory.create()
    old = RecipeFactory.create()
    Recipe.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=60))
    changelist = superuser_client.get(CHANGELIST).context["cl"]
    date_filter = next(f for f in changelist.filter_specs if isinstance(f, DateFieldListFilter))
    past_week = next(c for c in date_filter.choices(changelist) if c["display"] == "Past 7 days")

    response = superuser_client.get(CHANGELIST + past_week["query_string"])

    assert list(response.context["cl"].result_list) == [recent]
    assert old not in response.context["cl"].result_list


def test_searching_by_title_and_author(superuser_client):
    match = RecipeFactory.create(title="Borscht")
    RecipeFactory.create(title="Pancakes")

    by_title = superuser_client.get(CHANGELIST, {"q": "borscht"})
    by_author = superuser_client.get(CHANGELIST, {"q": match.author.username})

    assert list(by_title.context["cl"].result_list) == [match]
    assert list(by_author.context["cl"].result_list) == [match]


def test_the_changelist_shows_thumbnails_authors_and_categories(superuser_client, categories):
    recipe = RecipeFactory.create(photo=True, categories=[categories["soup"], categories["vegan"]])

    response = superuser_client.get(CHANGELIST)

    assertContains(response, f'src="{recipe.thumbnail.url}"')
    assertContains(response, recipe.author.username)
    assertContains(response, "Soup, Vegan")


@pytest.mark.parametrize("rows", [3, 40])
def test_the_changelist_query_count_does_not_grow_with_rows(
    superuser_client, categories, django_assert_num_queries, rows
):
    for recipe in RecipeFactory.create_batch(rows, photo=False):
        recipe.categories.set([categories["soup"], categories["dessert"]])

    # Session, user, the filter's categories, count, page with authors, the page's categories,
    # and the date hierarchy's two (first/last date, the days that have recipes).
    with django_assert_num_queries(8):
        superuser_client.get(CHANGELIST)
    with django_assert_num_queries(8):
        superuser_client.get(CHANGELIST, {"categories__id__exact": categories["soup"].pk})


def test_the_change_form_previews_the_photo_without_an_upload_field(superuser_client):
    recipe = RecipeFactory.create(photo=True)

    response = superuser_client.get(f"/admin/recipes/recipe/{recipe.pk}/change/")

    assertContains(response, f'src="{recipe.thumbnail.url}"')
    assertContains(response, f'href="{recipe.image.url}"')
    assertNotContains(response, 'type="file"')


def test_the_change_form_of_a_recipe_without_photo_says_so(superuser_client):
    recipe = RecipeFactory.create()

    assertContains(superuser_client.get(f"/admin/recipes/recipe/{recipe.pk}/change/"), "No photo.")


def test_the_add_form_prepopulates_the_slug_from_the_title(superuser_client):
    response = superuser_client.get("/admin/recipes/recipe/add/")

    assertContains(response, "data-prepopulated-fields")
    assertContains(response, "#id_title")


def test_the_remove_photos_action_takes_photos_off_and_deletes_the_files(
    superuser_client, media_files, django_capture_on_commit_callbacks
):
    recipes = RecipeFactory.create_batch(2, photo=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            CHANGELIST,
            {"action": "remove_photos", "_selected_action": [recipe.pk for recipe in recipes]},
            follow=True,
        )

    assertContains(response, "Removed 2 photo(s).")
    assert not Recipe.objects.with_image().exists()
    assert media_files() == []


def test_deleting_in_the_admin_removes_the_photo_files(
    superuser_client, media_files, django_capture_on_commit_callbacks
):
    recipe = RecipeFactory.create(photo=True)

    with django_capture_on_commit_callbacks(execute=True):
        superuser_client.post(f"/admin/recipes/recipe/{recipe.pk}/delete/", {"post": "yes"})

    assert not Recipe.objects.exists()
    assert media_files() == []


def test_bulk_deleting_in_the_admin_removes_the_photo_files(
    superuser_client, media_files, django_capture_on_commit_callbacks
):
    recipes = RecipeFactory.create_batch(2, photo=True)

    with django_capture_on_commit_callbacks(execute=True):
        superuser_client.post(
            CHANGELIST,
            {
                "action": "delete_selected",
                "post": "yes",
                "_selected_action": [recipe.pk for recipe in recipes],
            },
        )

    assert not Recipe.objects.exists()
    assert media_files() == []


def test_the_category_admin_counts_recipes_and_links_to_them(superuser_client, categories):
    RecipeFactory.create_batch(2, categories=[categories["soup"]])

    response = superuser_client.get("/admin/recipes/category/")

    soup = categories["soup"]
    assertContains(response, f'href="/admin/recipes/recipe/?categories__id__exact={soup.pk}">2</a>')


def test_admins_add_categories(superuser_client):
    superuser_client.post("/admin/recipes/category/add/", {"name": "Drinks", "slug": "drinks"})

    assert Category.objects.filter(slug="drinks").exists()


def test_a_staff_member_without_permissions_cannot_see_recipes(staff_client):
    assert staff_client.get(CHANGELIST).status_code == 403
