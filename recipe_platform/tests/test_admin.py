"""The recipe admin: category, photo and date filters, fixed query cost, photo preview."""

from datetime import timedelta

import pytest
from django.contrib.admin.filters import DateFieldListFilter
from django.contrib.contenttypes.models import ContentType
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


# --- Impossible filter values are invalid lookups, never a 500 --------------------------------


@pytest.mark.parametrize(
    "query",
    [
        {"created__year": str(2**64)},
        {"created__year": "9999"},  # the end of the year is past datetime's last year
        {"created__year": "9998", "created__month": "12", "created__day": "31"},
        {"created__year": "9999", "created__month": "12"},
        {"created__year": "0"},
        {"created__year": "2024", "created__month": "13"},
        {"created__year": "2024", "created__month": "2", "created__day": "30"},
        {"created__year": "2024", "created__month": str(2**64)},
        {"created__year": "NaN"},
        {"categories__id__exact": str(2**64)},
        {"categories__id__exact": "NaN"},
        {"has_image": "maybe"},
        {"created__gte": "2024-13-45"},
    ],
)
def test_an_impossible_filter_is_an_invalid_lookup_not_a_server_error(superuser_client, query):
    RecipeFactory.create()

    response = superuser_client.get(CHANGELIST, query)

    assert response.status_code in {200, 302}
    if response.status_code == 302:
        assert response["Location"] == f"{CHANGELIST}?e=1"


def test_the_last_full_year_and_a_real_day_still_filter(superuser_client):
    RecipeFactory.create()
    year = timezone.now().year

    whole_year = superuser_client.get(CHANGELIST, {"created__year": str(year)})
    far_future = superuser_client.get(CHANGELIST, {"created__year": "9998"})

    assert whole_year.context["cl"].result_count == 1
    assert far_future.context["cl"].result_count == 0


@pytest.mark.parametrize(
    "changelist",
    ["/admin/axes/accessattempt/", "/admin/axes/accesslog/", "/admin/axes/accessfailurelog/"],
)
def test_the_login_records_date_hierarchy_is_checked_too(superuser_client, changelist):
    response = superuser_client.get(changelist, {"attempt_time__year": str(2**64)})

    assert response.status_code == 302
    assert response["Location"] == f"{changelist}?e=1"


def test_a_recipe_form_with_an_author_that_is_no_key_is_redisplayed_with_its_error(
    superuser_client,
):
    response = superuser_client.post(
        "/admin/recipes/recipe/add/",
        {"title": "Soup", "slug": "soup", "author": "NaN", "prep_minutes": "1"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["author"]


@pytest.mark.parametrize("total", ["61", "1000", str(2**64)])
def test_the_admin_takes_at_most_60_ingredient_rows_and_builds_no_more(superuser_client, total):
    """A crafted TOTAL_FORMS is refused after building 60 rows, not Django's 2,000."""
    response = superuser_client.post(
        "/admin/recipes/recipe/add/",
        {"title": "Soup", "ingredients-TOTAL_FORMS": total, "ingredients-INITIAL_FORMS": "0"},
    )

    assert response.status_code == 200
    (rows,) = response.context["inline_admin_formsets"]
    assert len(rows.formset.forms) <= 60
    assert rows.formset.non_form_errors() == ["Please submit at most 60 forms."]


def test_the_changelist_thumbnail_keeps_the_photos_proportions(superuser_client):
    RecipeFactory.create(photo=True)  # 800 x 600: a 400 x 300 thumbnail

    response = superuser_client.get(CHANGELIST)

    assertContains(response, 'width="64" height="48"')


@pytest.mark.parametrize(
    ("changelist", "query"),
    [
        (CHANGELIST, {"q": "soup\x00"}),
        (CHANGELIST, {"categories__id__exact": "1\x00"}),
        ("/admin/axes/accessattempt/", {"path_info__exact": "a\x00b"}),
        ("/admin/axes/accesslog/", {"path_info__exact": "a\x00b"}),
    ],
)
def test_a_nul_byte_in_a_filter_is_an_invalid_lookup_on_every_database(
    superuser_client, changelist, query
):
    response = superuser_client.get(changelist, query)

    assert response.status_code in {200, 302}


@pytest.mark.parametrize("number", ["1_0", "\u0663", "15.0"])
def test_the_admin_takes_times_and_servings_in_plain_digits_only(superuser_client, number):
    recipe = RecipeFactory.create()

    response = superuser_client.post(
        f"/admin/recipes/recipe/{recipe.pk}/change/",
        {
            "title": recipe.title,
            "slug": recipe.slug,
            "author": recipe.author_id,
            "ingredients": recipe.ingredients,
            "instructions": recipe.instructions,
            "prep_minutes": number,
            "cook_minutes": "10",
            "servings": "4",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["prep_minutes"] == ["Enter a whole number."]


def test_view_on_site_still_redirects_to_a_recipe(superuser_client):
    recipe = RecipeFactory.create()
    recipes = ContentType.objects.get_for_model(Recipe)

    response = superuser_client.get(f"/admin/r/{recipes.pk}/{recipe.pk}/")

    assert response.status_code == 302
    assert response["Location"].endswith(recipe.get_absolute_url())


def test_the_task_results_list_refuses_a_nul_byte_as_an_invalid_lookup(superuser_client):
    """django_tasks_db's own admin class passed it to the database (a 500 on PostgreSQL)."""
    response = superuser_client.get(
        "/admin/django_tasks_database/dbtaskresult/", {"status__exact": "a\x00b"}
    )

    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")
