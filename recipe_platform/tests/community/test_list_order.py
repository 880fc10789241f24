"""The recipe list sorted by rating (``/recipes/?sort=rating``): the order cooks ask for most."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import QueryDict
from django.utils import timezone
from pytest_django.asserts import assertContains

from community import services
from recipes import page_cache
from recipes.models import Recipe
from tests.community.conftest import bulk_recipes, make_recipe, make_user

pytestmark = pytest.mark.django_db

LIST_URL = "/recipes/"


def _titles(response) -> list[str]:
    return [recipe.title for recipe in response.context["recipes"]]


def _rate(recipe: Recipe, *stars: int) -> None:
    for count in stars:
        services.rate(recipe=recipe, user=make_user(), stars=count)


def _aged(title: str, days_ago: int, **fields: object) -> Recipe:
    recipe = make_recipe(title=title, **fields)
    Recipe.objects.filter(pk=recipe.pk).update(created=timezone.now() - timedelta(days=days_ago))
    return recipe


def test_best_rated_puts_the_highest_average_first_then_the_most_ratings(client):
    _rate(_aged("Two fives", 5), 5, 5)
    _rate(_aged("One five", 4), 5)
    _rate(_aged("Three stars", 1), 3)

    response = client.get(LIST_URL, {"sort": "rating"})

    assert _titles(response) == ["Two fives", "One five", "Three stars"]


def test_recipes_nobody_rated_come_after_every_rated_one_newest_first(client):
    _aged("Old, unrated", 9)
    commented = _aged("Commented, unrated", 2)
    services.add_comment(recipe=commented, author=make_user(), body="Looks good")
    _aged("New, unrated", 1)
    _rate(_aged("One star", 30), 1)

    response = client.get(LIST_URL, {"sort": "rating"})

    assert _titles(response) == ["One star", "New, unrated", "Commented, unrated", "Old, unrated"]


def test_the_default_order_stays_newest_first(client):
    _rate(_aged("Old favourite", 10), 5)
    _aged("New", 1)

    assert _titles(client.get(LIST_URL)) == ["New", "Old favourite"]


def test_the_order_combines_with_a_category_and_a_search(client, categories):
    soup = categories["soup"]
    _rate(make_recipe(title="Great soup"), 5)
    _rate(make_recipe(title="Fine soup"), 3)
    _rate(make_recipe(title="Great cake"), 5)
    for recipe in Recipe.objects.filter(title__endswith="soup"):
        recipe.categories.add(soup)

    response = client.get(LIST_URL, {"sort": "rating", "category": "soup", "q": "soup"})

    assert _titles(response) == ["Great soup", "Fine soup"]


@pytest.mark.parametrize("sort", ["newest", "stars", "rating\x00", "x" * 5000])
def test_an_order_the_list_does_not_offer_is_a_400_with_its_error(client, sort):
    make_recipe(title="Soup")

    response = client.get(LIST_URL, {"sort": sort})

    assert response.status_code == 400
    assert response.context["search_form"].errors["sort"] == [
        "The list can be sorted by newest or best rated."
    ]


def test_the_sort_links_mark_the_current_order_and_keep_the_category(client, categories):
    response = client.get(LIST_URL, {"category": "soup", "sort": "rating"})

    assertContains(response, 'href="?category=soup&amp;sort=rating" aria-current="true"')
    assertContains(response, 'href="?category=soup">Newest</a>')
    # A search from this page keeps the order.
    assertContains(response, '<input type="hidden" name="sort" value="rating">')


def test_pagination_keeps_the_order(client):
    bulk_recipes(13)

    response = client.get(LIST_URL, {"sort": "rating"})

    assertContains(response, 'href="?sort=rating&amp;page=2"')


@pytest.mark.parametrize(("rows", "queries"), [(10, 3), (10_000, 4)])
def test_sorting_by_rating_costs_the_lists_four_queries_at_any_size(
    client, django_assert_num_queries, rows, queries
):
    recipes = bulk_recipes(rows)
    _rate(recipes[0], 4)

    # Categories, the capped count (none when the first page holds them all), the page with
    # authors, their categories.
    with django_assert_num_queries(queries):
        response = client.get(LIST_URL, {"sort": "rating"})

    assert response.status_code == 200


def test_the_best_rated_page_is_cached_and_a_new_rating_reorders_it_at_once(
    client, django_assert_num_queries
):
    first = make_recipe(title="First")
    second = make_recipe(title="Second")
    _rate(first, 4)
    assert _titles(client.get(LIST_URL, {"sort": "rating"})) == ["First", "Second"]
    with django_assert_num_queries(0):
        client.get(LIST_URL, {"sort": "rating"})

    _rate(second, 5)

    assert _titles(client.get(LIST_URL, {"sort": "rating"})) == ["Second", "First"]


def test_only_the_offered_order_is_a_cacheable_address():
    assert page_cache._is_browsing_address(QueryDict("sort=rating&page=2"))
    assert not page_cache._is_browsing_address(QueryDict("sort=newest"))
    assert not page_cache._is_browsing_address(QueryDict("sort=rating&sort=rating"))
