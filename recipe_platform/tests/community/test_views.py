"""The community pages and actions: who may do what, what each answers, what each costs."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains
from shared.bulk import Numbered, insert_rows

from community import services
from community.models import Comment, Favourite, Rating
from recipes.models import Recipe
from tests.community.conftest import bulk_recipes, make_recipe, make_user

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "author", "other", "staff"]


@pytest.fixture
def clients(client, user_client, other_user_client, staff_client):
    return {
        "anonymous": client,
        "author": user_client,
        "other": other_user_client,
        "staff": staff_client,
    }


# --- Permission matrix --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status", "ratings"),
    [("anonymous", 302, 0), ("author", 400, 0), ("other", 302, 1), ("staff", 302, 1)],
)
def test_rate(clients, recipe, who, status, ratings):
    response = clients[who].post(f"/community/recipes/{recipe.slug}/rate/", {"stars": 4})

    assert response.status_code == status
    assert Rating.objects.count() == ratings
    if who == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("who", "status", "comments"),
    [("anonymous", 302, 0), ("author", 302, 1), ("other", 302, 1), ("staff", 302, 1)],
)
def test_comment(clients, recipe, who, status, comments):
    response = clients[who].post(f"/community/recipes/{recipe.slug}/comment/", {"body": "Nice"})

    assert response.status_code == status
    assert Comment.objects.count() == comments


@pytest.mark.parametrize(
    ("who", "status", "hidden"),
    [("anonymous", 302, False), ("author", 302, True), ("other", 404, False), ("staff", 302, True)],
)
def test_hide_a_comment(clients, recipe, other_user, who, status, hidden):
    comment = services.add_comment(recipe=recipe, author=other_user, body="Too salty")

    response = clients[who].post(f"/community/comments/{comment.pk}/hide/")

    assert response.status_code == status
    comment.refresh_from_db()
    assert comment.is_hidden is hidden


@pytest.mark.parametrize(("who", "saved"), [("anonymous", 0), ("author", 1), ("other", 1)])
def test_save_a_favourite(clients, recipe, who, saved):
    clients[who].post(f"/community/recipes/{recipe.slug}/favourite/")

    assert Favourite.objects.count() == saved


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("author", 200), ("other", 200), ("staff", 200)]
)
def test_my_favourites_page(clients, who, status):
    assert clients[who].get("/community/favourites/").status_code == status


@pytest.mark.parametrize("who", WHO)
def test_the_public_pages(clients, recipe, who):
    assert clients[who].get("/community/top-rated/").status_code == 200
    assert clients[who].get(f"/community/recipes/{recipe.slug}/comments/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/community/recipes/lentil-soup/rate/",
        "/community/recipes/lentil-soup/comment/",
        "/community/recipes/lentil-soup/favourite/",
        "/community/recipes/lentil-soup/unfavourite/",
        "/community/comments/1/hide/",
    ],
)
def test_no_change_on_get(other_user_client, recipe, path):
    assert other_user_client.get(path).status_code == 405


@pytest.mark.parametrize("action", ["rate", "comment", "favourite", "unfavourite", "comments"])
def test_an_unknown_recipe_is_404(other_user_client, action):
    data = {"stars": 3, "body": "x"}
    method = other_user_client.get if action == "comments" else other_user_client.post
    assert method(f"/community/recipes/nothing-here/{action}/", data).status_code == 404


# --- Ratings ------------------------------------------------------------------------------------


def test_rating_says_so_and_shows_the_average_on_the_recipe(other_user_client, recipe):
    response = other_user_client.post(
        f"/community/recipes/{recipe.slug}/rate/", {"stars": 4}, follow=True
    )

    assertContains(response, "You rated “Lentil soup” 4 out of 5.")
    assertContains(response, "★ 4.0")
    assertContains(response, "(1 rating)")
    assertContains(response, "Change my rating")


def test_rating_ones_own_recipe_is_a_form_error(user_client, recipe):
    response = user_client.post(f"/community/recipes/{recipe.slug}/rate/", {"stars": 5})

    assert response.status_code == 400
    assertContains(response, "You cannot rate your own recipe.", status_code=400)
    assert not Recipe.objects.filter(rating_count__gt=0).exists()


@pytest.mark.parametrize("stars", ["0", "6", "", "4.5", "five", "٣"])
def test_stars_out_of_range_are_a_form_error(other_user_client, recipe, stars):
    response = other_user_client.post(f"/community/recipes/{recipe.slug}/rate/", {"stars": stars})

    assert response.status_code == 400
    assert not Rating.objects.exists()


def test_the_author_sees_no_rating_form_on_their_own_recipe(user_client, recipe):
    response = user_client.get(recipe.get_absolute_url())

    assertNotContains(response, f"/community/recipes/{recipe.slug}/rate/")
    assertContains(response, "Post comment")


# --- Comments -----------------------------------------------------------------------------------


def test_a_comment_shows_under_the_recipe(other_user_client, recipe):
    response = other_user_client.post(
        f"/community/recipes/{recipe.slug}/comment/",
        {"body": "Added <b>cumin</b>."},
        follow=True,
    )

    assertContains(response, "Your comment is posted.")
    assertContains(response, "Added &lt;b&gt;cumin&lt;/b&gt;.")
    assertContains(response, "Comments (1)")


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("   ", "This field is required."),
        ("x" * 2001, "at most 2000 characters"),
        ("nul\x00byte", "Null characters are not allowed."),
    ],
)
def test_a_bad_comment_is_a_form_error(other_user_client, recipe, body, error):
    response = other_user_client.post(f"/community/recipes/{recipe.slug}/comment/", {"body": body})

    assertContains(response, error, status_code=400)
    assert not Comment.objects.exists()


def test_a_hidden_comment_disappears_for_everyone(client, recipe, user_client, other_user):
    comment = services.add_comment(recipe=recipe, author=other_user, body="Visit my shop")

    response = user_client.post(f"/community/comments/{comment.pk}/hide/", follow=True)

    assertContains(response, "The comment is hidden.")
    assertNotContains(client.get(recipe.get_absolute_url()), "Visit my shop")
    assertNotContains(client.get(f"/community/recipes/{recipe.slug}/comments/"), "Visit my shop")


def test_only_the_author_and_staff_see_the_hide_button(
    client, recipe, other_user_client, user_client
):
    services.add_comment(recipe=recipe, author=make_user(), body="Hello")

    assertContains(user_client.get(recipe.get_absolute_url()), "Hide")
    assertNotContains(other_user_client.get(recipe.get_absolute_url()), "Hide<span")
    assertNotContains(client.get(recipe.get_absolute_url()), "Hide<span")


def test_the_recipe_page_shows_the_five_latest_comments_and_links_the_rest(client, recipe):
    author = make_user()
    for n in range(7):
        services.add_comment(recipe=recipe, author=author, body=f"Comment number {n}")

    response = client.get(recipe.get_absolute_url())

    assertContains(response, "Comment number 6")
    assertNotContains(response, "Comment number 1<")
    assertContains(response, f'href="/community/recipes/{recipe.slug}/comments/">All 7 comments')


def test_the_comments_page_is_paginated_twenty_to_a_page(client, recipe):
    author = make_user()
    Comment.objects.bulk_create(
        Comment(recipe=recipe, author=author, body=f"c{n}") for n in range(21)
    )

    first = client.get(f"/community/recipes/{recipe.slug}/comments/")
    second = client.get(f"/community/recipes/{recipe.slug}/comments/", {"page": 2})

    assert len(first.context["comments"]) == 20
    assert len(second.context["comments"]) == 1
    assert client.get(f"/community/recipes/{recipe.slug}/comments/?page=3").status_code == 404


# --- Throttling ---------------------------------------------------------------------------------


def test_the_thirty_first_rating_in_ten_minutes_is_refused(other_user_client):
    recipes = [make_recipe(title=f"R{n}") for n in range(31)]
    for recipe in recipes[:30]:
        assert (
            other_user_client.post(
                f"/community/recipes/{recipe.slug}/rate/", {"stars": 3}
            ).status_code
            == 302
        )

    response = other_user_client.post(f"/community/recipes/{recipes[30].slug}/rate/", {"stars": 3})

    assertContains(response, "You have done that 30 times in the last 10 minutes.", status_code=429)
    assert Rating.objects.count() == 30


def test_the_eleventh_comment_in_ten_minutes_is_refused(other_user_client, recipe):
    for n in range(10):
        other_user_client.post(f"/community/recipes/{recipe.slug}/comment/", {"body": f"c{n}"})

    response = other_user_client.post(f"/community/recipes/{recipe.slug}/comment/", {"body": "c"})

    assert response.status_code == 429
    assert Comment.objects.count() == 10


def test_the_limit_is_per_user(other_user_client, staff_client, recipe):
    for n in range(10):
        other_user_client.post(f"/community/recipes/{recipe.slug}/comment/", {"body": f"c{n}"})

    response = staff_client.post(f"/community/recipes/{recipe.slug}/comment/", {"body": "mine"})

    assert response.status_code == 302


def test_a_cache_outage_lets_comments_through(other_user_client, recipe, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "add", broken)

    response = other_user_client.post(f"/community/recipes/{recipe.slug}/comment/", {"body": "ok"})

    assert response.status_code == 302
    assert Comment.objects.count() == 1


# --- Favourites ---------------------------------------------------------------------------------


def test_saving_and_removing_a_favourite(other_user_client, recipe):
    saved = other_user_client.post(f"/community/recipes/{recipe.slug}/favourite/", follow=True)
    assertContains(saved, "“Lentil soup” is in your favourites.")
    assertContains(saved, "Remove from favourites")
    assertContains(other_user_client.get("/community/favourites/"), "Lentil soup")

    removed = other_user_client.post(f"/community/recipes/{recipe.slug}/unfavourite/", follow=True)
    assertContains(removed, "is no longer in your favourites.")
    assertContains(other_user_client.get("/community/favourites/"), "You have not saved a recipe")


def test_my_favourites_lists_only_mine_latest_first(other_user, other_user_client, user):
    older, newer, not_mine = (make_recipe(title=t) for t in ("Older", "Newer", "Theirs"))
    services.save_favourite(recipe=older, user=other_user)
    services.save_favourite(recipe=newer, user=other_user)
    services.save_favourite(recipe=not_mine, user=user)

    response = other_user_client.get("/community/favourites/")

    assert list(response.context["recipes"]) == [newer, older]


def test_my_favourites_is_paginated_twelve_to_a_page(other_user, other_user_client):
    Favourite.objects.bulk_create(
        Favourite(user=other_user, recipe=recipe) for recipe in bulk_recipes(13)
    )

    assert len(other_user_client.get("/community/favourites/").context["recipes"]) == 12
    assert len(other_user_client.get("/community/favourites/?page=2").context["recipes"]) == 1
    assert other_user_client.get("/community/favourites/?page=3").status_code == 404


# --- Top rated, and the cards -------------------------------------------------------------------


def test_top_rated_orders_by_average_then_by_number_of_ratings(client):
    best, popular, good, _unrated = (
        make_recipe(title=t) for t in ("Best", "Popular", "Good", "None")
    )
    _set_totals(best, count=1, total=5, average=Decimal("5.00"))
    _set_totals(popular, count=9, total=36, average=Decimal("4.00"))
    _set_totals(good, count=2, total=8, average=Decimal("4.00"))

    response = client.get("/community/top-rated/")

    assert list(response.context["recipes"]) == [best, popular, good]
    assertContains(response, "★ 5.0")
    assertContains(response, "(9 ratings)")


def test_top_rated_narrows_to_a_category_and_refuses_an_unknown_one(
    client, categories, monkeypatch
):
    soup, cake = make_recipe(title="Soup"), make_recipe(title="Cake")
    soup.categories.set([categories["soup"]])
    for recipe in (soup, cake):
        _set_totals(recipe, count=1, total=4, average=Decimal(4))

    stored: list[str] = []
    real_set = cache.set

    def recording_set(key, *args, **kwargs):
        stored.append(key)
        return real_set(key, *args, **kwargs)

    monkeypatch.setattr(cache, "set", recording_set)

    response = client.get("/community/top-rated/", {"category": "soup"})
    for n in range(3):
        assert client.get("/community/top-rated/", {"category": f"made-up-{n}"}).status_code == 404

    assert list(response.context["recipes"]) == [soup]
    assertContains(response, "<h1>Top rated Soup recipes</h1>", html=True)
    assert len([key for key in stored if key.startswith("recipes:anonymous-page:")]) == 1


def test_the_list_cards_show_the_average_and_comment_count(client, recipe, cooks):
    services.rate(recipe=recipe, user=cooks[0], stars=5)
    services.rate(recipe=recipe, user=cooks[1], stars=4)
    services.add_comment(recipe=recipe, author=cooks[0], body="Good")

    response = client.get("/recipes/")

    assertContains(response, "★ 4.5")
    assertContains(response, "(2 ratings)")
    assertContains(response, "1 comment<")


@pytest.mark.parametrize("change", ["rate", "comment", "hide"])
def test_each_change_refreshes_the_anonymous_list_cache(client, recipe, cooks, user, change):
    comment = services.add_comment(recipe=recipe, author=cooks[1], body="First")
    services.rate(recipe=recipe, user=cooks[1], stars=2)
    assertContains(client.get("/recipes/"), "★ 2.0")  # now cached
    assertContains(client.get("/recipes/"), "1 comment<")

    if change == "rate":
        services.rate(recipe=recipe, user=cooks[0], stars=4)
        assertContains(client.get("/recipes/"), "★ 3.0")
    elif change == "comment":
        services.add_comment(recipe=recipe, author=cooks[0], body="Second")
        assertContains(client.get("/recipes/"), "2 comments<")
    else:
        services.hide_comment(comment=comment, moderator=user)
        assertNotContains(client.get("/recipes/"), "1 comment<")


def test_the_top_rated_page_is_served_from_the_cache_and_refreshed_by_a_rating(
    client, recipe, cooks, django_assert_num_queries
):
    services.rate(recipe=recipe, user=cooks[0], stars=3)
    client.get("/community/top-rated/")
    with django_assert_num_queries(0):
        assertContains(client.get("/community/top-rated/"), "★ 3.0")

    services.rate(recipe=recipe, user=cooks[1], stars=5)

    assertContains(client.get("/community/top-rated/"), "★ 4.0")


def test_the_top_rated_list_goes_on_where_its_first_page_ended(client):
    """A later page reads its rows by their keys (``recipes.pagination``): the same order."""
    recipes = bulk_recipes(14)
    for n, recipe in enumerate(recipes):  # 1.00, 1.25 ... 4.25 stars: the newest is the best
        total = 4 + n
        Recipe.objects.filter(pk=recipe.pk).update(
            rating_count=4, rating_total=total, rating_average=Decimal(total) / 4
        )
    best_first = [recipe.pk for recipe in reversed(recipes)]

    first, second = (client.get("/community/top-rated/", {"page": page}) for page in (1, 2))

    assert [recipe.pk for recipe in first.context["recipes"]] == best_first[:12]
    assert [recipe.pk for recipe in second.context["recipes"]] == best_first[12:]


# --- Query counts at 10 and 10,000 rows ---------------------------------------------------------


@pytest.mark.parametrize("rows", [10, 10_000])
def test_my_favourites_costs_four_queries_whatever_the_number(
    other_user, other_user_client, django_assert_num_queries, rows
):
    insert_rows(Favourite, rows, user=other_user, recipe=bulk_recipes(rows))

    # Session, user, count, the page with authors, its categories.
    with django_assert_num_queries(5):
        response = other_user_client.get("/community/favourites/")
    assert response.context["paginator"].count == rows


@pytest.mark.parametrize(("rows", "queries"), [(10, 2), (10_000, 3)])
def test_top_rated_costs_three_queries_whatever_the_number(
    client, django_assert_num_queries, rows, queries
):
    bulk_recipes(rows)
    Recipe.objects.update(rating_count=1, rating_total=4, rating_average=4)

    # Count (capped; none when the first page holds them all), the page with authors, its
    # categories.
    with django_assert_num_queries(queries):
        response = client.get("/community/top-rated/")
    assert response.context["paginator"].count_label == {10: "10", 10_000: "1,000+"}[rows]


@pytest.mark.parametrize("rows", [10, 10_000])
def test_the_comments_page_costs_three_queries_whatever_the_number(
    client, recipe, django_assert_num_queries, rows
):
    insert_rows(Comment, rows, recipe=recipe, author=make_user(), body=Numbered("c{n}"))

    # The recipe, the count, the page with authors.
    with django_assert_num_queries(3):
        client.get(f"/community/recipes/{recipe.slug}/comments/")


@pytest.mark.parametrize("rows", [10, 10_000])
@pytest.mark.parametrize(("logged_in", "queries"), [(False, 1), (True, 3)])
def test_the_recipe_page_section_costs_a_fixed_number_of_queries(
    recipe, other_user, rows, logged_in, queries
):
    insert_rows(Comment, rows, recipe=recipe, author=make_user(), body=Numbered("c{n}"))
    recipe = Recipe.objects.for_cards().get(pk=recipe.pk)  # as the recipe page loads it
    request = RequestFactory().get(recipe.get_absolute_url())
    request.user = other_user if logged_in else _anonymous()
    template = Template("{% load community %}{% recipe_community recipe %}")

    with CaptureQueriesContext(connection) as queries_run:
        html = template.render(Context({"request": request, "recipe": recipe}))

    # The latest comments with their authors; a cook's rating and favourite.
    assert len(queries_run) == queries
    assert html.count('class="comment"') == 5


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


@pytest.mark.parametrize("category", ["a\x00b", "x" * 5_000, "soup/../cake", "٣"])
def test_top_rated_answers_a_category_that_is_no_slug_with_a_404(client, category):
    """Such a value never reaches a query: PostgreSQL refuses a NUL byte in any text it is sent,
    which the hostile-input walk found as a 500 there."""
    assert client.get("/community/top-rated/", {"category": category}).status_code == 404


def _set_totals(recipe: Recipe, *, count: int, total: int, average: Decimal) -> None:
    Recipe.objects.filter(pk=recipe.pk).update(
        rating_count=count, rating_total=total, rating_average=average
    )
