"""The recipe list at any size: a count capped at 1,000, pages found without a total, and an
index for every order and filter it offers (``recipes.pagination``, ``RecipeQuerySet``)."""

from __future__ import annotations

import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from recipes.models import Recipe
from recipes.pagination import CappedCountPaginator
from tests.community.conftest import bulk_recipes

pytestmark = pytest.mark.django_db

LIST_URL = "/recipes/"


def test_up_to_a_thousand_recipes_the_count_is_exact(client):
    bulk_recipes(1_000)

    response = client.get(LIST_URL)

    assertContains(response, "1,000 recipes")
    assertContains(response, "Page 1 of 84")


def test_past_a_thousand_the_count_says_so_without_counting_further(client):
    bulk_recipes(1_001)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL)

    assertContains(response, "1,000+ recipes")
    assertContains(response, '<span aria-current="page">Page 1</span>', html=True)
    assert any("LIMIT 1001" in query["sql"] for query in queries.captured_queries)


def test_the_pages_go_on_past_the_cap_and_end_with_a_404(client):
    bulk_recipes(1_001)  # 84 pages: 83 of twelve and one of five

    last = client.get(LIST_URL, {"page": "84"})
    past = client.get(LIST_URL, {"page": "85"})

    assert len(last.context["recipes"]) == 5
    assertContains(last, 'rel="prev"')
    assertNotContains(last, 'rel="next"')
    assert past.status_code == 404


@pytest.mark.parametrize("page", ["0", "-1", "x", "99999999999999999999999"])
def test_a_page_that_cannot_exist_is_a_404(client, page):
    bulk_recipes(13)

    assert client.get(LIST_URL, {"page": page}).status_code == 404


def test_a_page_shows_its_own_rows_in_order(client):
    recipes = bulk_recipes(30)  # bulk_create gives them one moment: newest is the highest id

    response = client.get(LIST_URL, {"page": "2"})

    newest_first = sorted((recipe.pk for recipe in recipes), reverse=True)
    assert [recipe.pk for recipe in response.context["recipes"]] == newest_first[12:24]
    assertContains(response, 'href="?page=3"')


# --- Every order and filter walks an index ------------------------------------------------------
# SQLite's plans, read with EXPLAIN QUERY PLAN from the query the page really runs. The page's
# keys are read from the order's index, in its order (no sort); only the rows found by those
# keys are then sorted. The first page reads its rows from the order's index directly.


def _plan_of_the_pages_keys(client, params: dict[str, str]) -> list[str]:
    """The plan of the subquery that picks the page's keys (the rows are then read by key);
    the first page is read directly, so its whole plan."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL, params)
    assert response.status_code == 200
    (page,) = [q["sql"] for q in queries.captured_queries if "LIMIT 13" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {page}")
        rows = cursor.fetchall()
    if params.get("page", "1") == "1":
        return [detail for _, _, _, detail in rows]
    (keys,) = [node for node, _, _, detail in rows if detail.startswith("LIST SUBQUERY")]
    inside = {keys}
    for node, parent, _, _ in rows:  # parents come before their children
        if parent in inside:
            inside.add(node)
    return [detail for node, _, _, detail in rows if node in inside and node != keys]


needs_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="reads SQLite's EXPLAIN QUERY PLAN output"
)


@pytest.fixture
def many_recipes(categories):
    recipes = bulk_recipes(40)
    Recipe.categories.through.objects.bulk_create(
        Recipe.categories.through(recipe_id=recipe.pk, category_id=categories["soup"].pk)
        for recipe in recipes[::3]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return recipes


@needs_sqlite
@pytest.mark.parametrize(
    ("params", "index"),
    [
        ({}, "recipe_newest_idx"),
        ({"page": "3"}, "recipe_newest_idx"),
        ({"sort": "rating"}, "recipe_best_rated_idx"),
        ({"category": "soup"}, "recipe_newest_idx"),
        ({"category": "soup", "sort": "rating"}, "recipe_best_rated_idx"),
        ({"category": "soup", "sort": "rating", "page": "2"}, "recipe_best_rated_idx"),
        ({"q": "bulk"}, "recipe_newest_idx"),
    ],
)
def test_each_order_and_filter_reads_its_index_without_sorting(client, many_recipes, params, index):
    plan = _plan_of_the_pages_keys(client, params)

    assert any(f"INDEX {index}" in step for step in plan), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan


@needs_sqlite
@pytest.mark.parametrize("page", ["1", "2"])
def test_a_category_is_checked_through_the_link_tables_unique_index(client, many_recipes, page):
    plan = _plan_of_the_pages_keys(client, {"category": "soup", "page": page})

    assert any("(recipe_id=? AND category_id=?)" in step for step in plan), plan


# --- The paginator on its own --------------------------------------------------------------------


def test_the_paginator_pages_a_plain_list_the_same_way():
    paginator = CappedCountPaginator(list(range(1, 1_003)), 12)

    last = paginator.page(84)

    assert list(last) == [997, 998, 999, 1000, 1001, 1002]
    assert (last.start_index(), last.end_index()) == (997, 1002)
    assert not last.has_next()
    assert paginator.count_label == "1,000+"


@pytest.mark.parametrize(
    ("number", "error"), [("x", PageNotAnInteger), (1.5, PageNotAnInteger), (0, EmptyPage)]
)
def test_the_paginator_refuses_what_is_not_a_page_number(number, error):
    with pytest.raises(error):
        CappedCountPaginator([1, 2, 3], 12).page(number)
