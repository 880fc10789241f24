"""Reads every recipe list sends in the same shape, sent as statements composed once.

Each view of the recipe list reads every category (for its filter, and to find the one asked
for) and the categories of the page's recipes (for the cards' links). Neither query changes
from one view to the next but for the page's recipe ids, yet the ORM composed both again on
every view no page cache answers (a logged-in cook, a new filter or page): 0.2-0.4 ms of Python
each for SQL SQLite answers in a few hundredths of that (issue 19). Here each is composed by
the ORM once per process (``config.composed``, the same module as the helpdesk's and the
shop's), the categories' links once per number of recipes on the page (at most a page's 12),
and sent again with the page's ids bound as values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import router

from config import composed
from recipes.models import Category, Recipe

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from django.db.models import QuerySet

#: The first of the markers standing for the page's recipe ids while a shape is composed; the
#: others count down. No recipe has a negative id.
_FIRST_RECIPE_MARKER = -7_000_000_200_000


def categories() -> list[Category]:
    """Every category, in the model's order (by name), as ``Category`` instances built from
    the composed statement's rows with ``Model.from_db``, as the ORM builds them."""
    alias = router.db_for_read(Category)
    fields = tuple(field.attname for field in Category._meta.concrete_fields)

    def every_category() -> QuerySet[Category, tuple[Any, ...]]:
        return Category.objects.values_list(*fields)

    statement = composed.statement(
        alias, "recipes.categories", {}, lambda: (every_category(), "%s")
    )
    rows = statement.rows(alias, {}) if statement is not None else list(every_category())
    return [Category.from_db(alias, fields, row) for row in rows]


def category_rows(recipe_ids: Sequence[int]) -> list[tuple[int, str, str]]:
    """``(recipe id, category name, category slug)`` for each category of each recipe of
    ``recipe_ids``, by category name: one query of the link table joined to the categories."""
    keys = {f"recipe{n}": key for n, key in enumerate(sorted(set(recipe_ids)))}
    if not keys:
        return []
    markers = {name: _FIRST_RECIPE_MARKER - n for n, name in enumerate(keys)}
    alias = router.db_for_read(Recipe.categories.through)

    def links(values: Mapping[str, int]) -> QuerySet[Any, tuple[int, str, str]]:
        return (
            Recipe.categories.through.objects.filter(recipe_id__in=list(values.values()))
            .order_by("category__name")
            .values_list("recipe_id", "category__name", "category__slug")
        )

    statement = composed.statement(
        alias, ("recipes.category_rows", len(keys)), markers, lambda: (links(markers), "%s")
    )
    if statement is None:
        return list(links(keys))
    return statement.rows(alias, keys)
