"""The recipe list read through composed statements (``recipes.list_page``): every shape (with
or without a category, each order, first and later pages) gives the cards the ORM's recipes
give, a shape composed for one category answers for another, a search is never composed, a
known shape composes nothing the second time, and a card reads nothing more."""

from __future__ import annotations

import itertools
from typing import Any, cast

import pytest
from shared.contract.sessions import compiled_queries

from recipes.cards import CARD_COLUMNS, CardRecipe, cards
from recipes.list_page import RecipeList
from recipes.models import ListOrder, Recipe
from recipes.pagination import CappedCountPaginator
from tests.factories import CategoryFactory, RecipeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("nothing_composed_yet")]


@pytest.fixture
def shelves():
    """Twenty recipes, some rated, some photographed, on two shelves; the shelves."""
    soups, cakes = (CategoryFactory.create(name=name) for name in ("Soups", "Cakes"))
    for number in range(20):
        recipe = RecipeFactory.create(
            title=f"Dish {number}",
            categories=[soups if number % 3 else cakes],
            photo=number % 7 == 0,
            ingredients="",
        )
        if number % 4 == 0:
            Recipe.objects.filter(pk=recipe.pk).update(
                rating_count=number + 1,
                rating_total=3 * (number + 1),
                rating_average=3 + number % 3,
            )
    return soups, cakes


def orm_recipes(listed: RecipeList) -> list[Recipe]:
    """The recipes as the list read them before, through the ORM with their authors."""
    return list(listed.recipes().select_related("author"))


def test_every_shape_gives_the_cards_the_orms_recipes_give(shelves):
    soups, cakes = shelves
    # Each order in turn; the category shape composed for soups, then bound for cakes.
    for order, category in itertools.product(ListOrder.values, (None, soups, cakes)):
        listed = RecipeList(category=category, order=order)
        expected = orm_recipes(listed)

        for start, stop in ((0, 6), (6, 12), (12, 30), (3, 5)):
            page = listed[start:stop]
            assert [recipe.pk for recipe in page] == [r.pk for r in expected[start:stop]]
            assert cards(page) == cards(expected[start:stop])
        assert listed.capped_count() == len(expected)


def test_a_shape_composed_for_one_category_lists_another_categorys_recipes(shelves):
    soups, cakes = shelves
    RecipeList(category=soups)[0:12]

    listed = RecipeList(category=cakes)[0:12]

    assert {recipe.pk for recipe in listed} == set(cakes.recipes.values_list("pk", flat=True))
    assert RecipeList(category=cakes).capped_count() == 7


def test_a_card_reads_nothing_but_its_categories(shelves, django_assert_num_queries):
    page = RecipeList()[0:12]

    with django_assert_num_queries(1):  # the page's categories, as before
        built = cards(page)

    assert [card["author"] for card in built] == [recipe.author_name for recipe in page]
    assert any(card["photo"] for card in built)


def test_a_search_is_never_composed_and_finds_what_the_orm_finds(shelves, monkeypatch):
    listed = RecipeList(text="dish 1", order=ListOrder.BEST_RATED)
    expected = orm_recipes(listed)
    listed[0:12]
    compiled = compiled_queries(monkeypatch)

    page = listed[0:12]

    assert [recipe.pk for recipe in page] == [recipe.pk for recipe in expected[:12]]
    assert len(page) == 11  # "Dish 1" and "Dish 10" to "Dish 19"
    assert compiled


def test_a_known_shape_composes_no_query_the_second_time(shelves, monkeypatch):
    soups, cakes = shelves
    RecipeList(category=soups)[12:24]
    RecipeList(category=soups).capped_count()
    compiled = compiled_queries(monkeypatch)

    assert len(RecipeList(category=cakes)[12:24]) == 0
    assert len(RecipeList(category=soups)[12:24]) == 1
    assert RecipeList(category=cakes).capped_count() == 7
    assert compiled == []


def test_an_empty_slice_sends_no_query(shelves, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert RecipeList()[4:4] == []


def test_the_paginator_counts_with_the_lists_own_capped_count(shelves):
    # Paged as ListView pages it: ``Paginator``'s stub types only a sequence or a QuerySet.
    paginator = CappedCountPaginator(cast("Any", RecipeList()), 12)

    assert paginator.count == 20
    assert [recipe.pk for recipe in paginator.page(2)] == [
        recipe.pk for recipe in orm_recipes(RecipeList())[12:]
    ]


def test_a_rows_columns_are_read_in_the_order_of_its_fields():
    assert CardRecipe._fields == (*CARD_COLUMNS, "author_name")
