"""The recipe list's reads sent as statements composed once (``recipes.list_reads``): they answer
what the ORM answers after every change and for every page of recipes, and compose nothing the
second time."""

from __future__ import annotations

import pytest
from shared.contract.sessions import compiled_queries

from recipes import list_reads
from recipes.models import Category, Recipe
from tests.factories import CategoryFactory, RecipeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("nothing_composed_yet")]


def _orm_rows(recipe_ids):
    links = Recipe.categories.through.objects.filter(recipe_id__in=recipe_ids)
    rows = links.order_by("category__name").values_list(
        "recipe_id", "category__name", "category__slug"
    )
    return list(rows)


def test_the_categories_are_the_orms_instances_after_every_change():
    CategoryFactory.create(name="Soups", slug="soups")
    list_reads.categories()  # composed here

    CategoryFactory.create(name="Breads", slug="breads")
    Category.objects.filter(slug="soups").update(name="Stews")
    read = list_reads.categories()

    assert read == list(Category.objects.all())
    assert [(c.pk, c.name, c.slug) for c in read] == [
        (c.pk, c.name, c.slug) for c in Category.objects.all()
    ]
    assert "Stews" in [c.name for c in read]
    assert all(not c._state.adding and c._state.db == "default" for c in read)


def test_the_categories_compose_no_query_the_second_time(monkeypatch):
    CategoryFactory.create()
    expected = list(Category.objects.all())
    list_reads.categories()
    compiled = compiled_queries(monkeypatch)

    assert list_reads.categories() == expected
    assert compiled == []


def test_each_page_of_recipes_gets_its_own_categories_for_every_number_of_recipes():
    shelves = [CategoryFactory.create(name=name) for name in ("Cakes", "Apples", "Bakes")]
    recipes = [RecipeFactory.create(categories=shelves[: n % 4]) for n in range(12)]
    ids = [recipe.pk for recipe in recipes]

    for start, stop in ((0, 1), (0, 12), (3, 6), (6, 9), (11, 12), (0, 12)):
        assert list_reads.category_rows(ids[start:stop]) == _orm_rows(ids[start:stop])


def test_the_categories_of_a_known_number_of_recipes_compose_no_query(monkeypatch):
    shelf = CategoryFactory.create()
    ids = [RecipeFactory.create(categories=[shelf]).pk for _ in range(6)]
    list_reads.category_rows(ids[:3])
    compiled = compiled_queries(monkeypatch)

    assert [row[0] for row in list_reads.category_rows(ids[3:])] == ids[3:]
    assert compiled == []


def test_no_recipes_have_no_categories_and_send_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert list_reads.category_rows([]) == []
