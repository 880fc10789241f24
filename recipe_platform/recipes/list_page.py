"""The recipe list, a page at a time, read through statements composed once per shape.

Cooks are logged in, so no page cache answers them, and a visitor's new filter or page misses
it too (issue 19). The list's two queries, the capped count and the page's recipes with their
authors, come in few shapes: with or without a category, the order, the page's bounds. Each
shape is composed by the ORM once per process (``config.composed``) from the QuerySet
:meth:`RecipeList.recipes` builds with a marker for the category, and each view binds its own.
The rows are the columns a card shows and no others (``recipes.cards.CARD_COLUMNS``), through
the ORM's converters, each a ``CardRecipe``: the cards read them as they read a ``Recipe`` (its
links, its photo's URLs from the field's storage) without a model instance and its author built
for each (``Model.from_db`` cost 0.15 ms a page). A search text is not composed
(``recipes.search`` writes it into an FTS or trigram query): those views are read by the ORM,
into the same rows.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import router

from config import composed
from recipes.cards import CARD_COLUMNS, CardRecipe
from recipes.models import Category, ListOrder, Recipe
from recipes.pagination import COUNT_CAP

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from django.db.models import QuerySet

    from recipes.models import RecipeQuerySet

#: A category key no view can ask for, standing for the category while a shape is composed.
_CATEGORY_MARKER = -7_000_000_300_000


class RecipeList:
    """The recipes matching ``text`` and ``category`` in ``order``, as ``CappedCountPaginator``
    pages a list: :meth:`capped_count`, and a slice for each page (a list of recipes)."""

    #: ``Paginator`` warns about an unordered list; this one is always ordered.
    ordered = True

    def __init__(
        self, *, text: str = "", category: Category | None = None, order: str = ListOrder.NEWEST
    ) -> None:
        self.text = text.strip()
        self.order = order
        self.values: dict[str, Any] = {} if category is None else {"category": category.pk}
        self.markers = dict.fromkeys(self.values, _CATEGORY_MARKER)
        self.alias = router.db_for_read(Recipe)

    def recipes(self, values: Mapping[str, Any] | None = None) -> RecipeQuerySet:
        """The matching recipes in order, with ``values`` (markers, while a shape is composed)
        in place of this list's own."""
        if values is None:
            return self._own_recipes
        recipes = Recipe.objects.search(self.text)
        if "category" in values:
            recipes = recipes.in_category(Category(pk=values["category"]))
        return recipes.in_order(self.order)

    @cached_property
    def _own_recipes(self) -> RecipeQuerySet:
        """Built once for the count and the page: a search picks its plan with a query of its
        own (``recipes.search``)."""
        return self.recipes(self.values)

    def capped_count(self) -> int:
        """How many recipes match, up to ``COUNT_CAP + 1`` (shown "1,000+")."""

        def keys(recipes: RecipeQuerySet) -> QuerySet[Any, Any]:
            return recipes.order_by().values("pk")[: COUNT_CAP + 1]

        statement = self._statement(("count",), keys, "SELECT COUNT(*) FROM (%s) subquery")
        if statement is None:
            return keys(self.recipes()).count()
        return int(statement.rows(self.alias, self.values)[0][0])

    def __getitem__(self, bounds: slice) -> list[CardRecipe]:
        """The recipes from ``bounds.start`` to ``bounds.stop``: the first page directly, a
        later one by its keys first (``recipes.pagination._rows`` says why)."""
        start, stop = bounds.start or 0, bounds.stop
        if stop is not None and stop <= start:
            return []  # what the ORM answers for an empty slice, without a query

        def page(recipes: RecipeQuerySet) -> QuerySet[Any, Any]:
            if start:
                recipes = recipes.filter(pk__in=recipes.values("pk")[start:stop])
            else:
                recipes = recipes[:stop]
            author_name = f"author__{get_user_model().USERNAME_FIELD}"
            return recipes.values_list(*CARD_COLUMNS, author_name)

        statement = self._statement(("rows", start, stop), page)
        if statement is None:
            rows = list(page(self.recipes()))
        else:
            rows = statement.rows(self.alias, self.values)
        return [CardRecipe(*row) for row in rows]

    def _statement(
        self,
        part: tuple[Any, ...],
        read: Callable[[RecipeQuerySet], QuerySet[Any, Any]],
        wrap: str = "%s",
    ) -> composed.Statement | None:
        """This shape's statement for ``part`` (``read`` of the recipes), composed on first
        use; None for a search, or a shape that cannot be composed."""
        if self.text:
            return None
        return composed.statement(
            self.alias,
            ("recipes.list_page", tuple(self.values), self.order, *part),
            self.markers,
            lambda: (read(self.recipes(self.markers)), wrap),
        )
