"""The recipe list's ``?q=``: which recipes contain a text in their title, description or an
ingredient's item, any case, answered from an index rather than a scan of every recipe.

``icontains`` over three columns cannot use a B-tree index: at 100,000 recipes a search with few
matches read every recipe and its ingredients (133 ms). Migration ``0010_search_index`` adds a
trigram index on each vendor, and this module asks each the question in the shape it can answer
from that index, with the same results as :func:`contains_anywhere`:

- PostgreSQL: ``pg_trgm`` GIN indexes on exactly the expressions ``icontains`` compiles to
  (``UPPER("title"::text)``, the description's and the ingredient item's), asked one column at
  a time and the recipe ids united (:func:`matching_ids`): an ``OR`` with an ``EXISTS`` would make
  the planner scan the recipes again.
- SQLite: an FTS5 table (:data:`SQLITE_TABLE`, ``trigram`` tokenizer) holding each recipe's
  title, description and ingredient items (one line each), kept current by triggers on both
  tables, so every write path (the site, the admin, bulk and raw SQL) keeps it right. The text is
  matched as one quoted FTS5 string, so no FTS syntax (``OR``, ``NEAR(``, ``*``, ``-``) in a
  query means anything but its characters.

Trigrams need three characters: on SQLite a shorter query (and one holding a line break, which
would match across two ingredient lines in the FTS row) keeps the scan of
:func:`contains_anywhere`; a short query is rarely selective anyway. Case: SQLite's ``LIKE``
folds ASCII letters only, the trigram tokenizer (``case_sensitive 0``) folds every Unicode
letter, as PostgreSQL's ``UPPER`` does: on SQLite "CRÈME" now finds "crème" as it does on
PostgreSQL; ASCII and same-case text match exactly as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import connections, models
from django.db.models.expressions import RawSQL

if TYPE_CHECKING:
    from django.db.models.sql.query import Query

SQLITE_TABLE = "recipes_recipe_search"
# The ingredient items are joined by this in the FTS row; no item contains it (single line).
ITEM_SEPARATOR = "\n"
TRIGRAM = 3
# Past this many matches the scan in the list's order is cheaper than the index (README).
MANY_MATCHES = 5_000


def contains_anywhere(text: str) -> models.Q:
    """The reference: the title, the description or an ingredient's item contains ``text``."""
    from recipes.models import Ingredient

    return (
        models.Q(title__icontains=text)
        | models.Q(description__icontains=text)
        | models.Q(
            models.Exists(
                Ingredient.objects.filter(recipe=models.OuterRef("pk"), item__icontains=text)
            )
        )
    )


def fts5_string(text: str) -> str:
    """``text`` as one FTS5 string: in double quotes, each double quote doubled. Inside a
    string nothing is an operator, so the query matches the characters as written."""
    return '"' + text.replace('"', '""') + '"'


def matching_ids(text: str, using: str) -> models.Q:
    """A filter on recipes that contain ``text`` (stripped, not empty), in the shape the
    search index of database ``using`` answers.

    Looking every match up and sorting them for the page pays for a rare text, not for one
    most recipes contain: there the scan walks the list's own index newest first and stops as
    soon as the page and the capped count are full, a few rows in (at 100,000 recipes "soup"
    costs 0.5 s indexed, 9-17 ms scanned). So one cheap query first counts the matches up to
    :data:`MANY_MATCHES` and picks the plan.
    """
    vendor = connections[using].vendor
    if vendor == "postgresql":
        ids: Query | RawSQL = _postgresql_ids(text).query
        many = _postgresql_ids(text, union_all=True)[: MANY_MATCHES + 1].count() > MANY_MATCHES
    elif vendor == "sqlite" and len(text) >= TRIGRAM and ITEM_SEPARATOR not in text:
        ids, many = _sqlite_ids(text, using)
    else:
        return contains_anywhere(text)
    return contains_anywhere(text) if many else models.Q(pk__in=ids)


def _postgresql_ids(text: str, *, union_all: bool = False) -> models.QuerySet[Any]:
    """The ids of the recipes whose title, description or an ingredient's item contain
    ``text``, each column read through its trigram index. Not an ``OR``: with the ingredients'
    ``EXISTS`` in it the planner scans every recipe. Unordered parts: the models' default
    orders would sort each part (and join the ingredients to their recipes) for nothing."""
    from recipes.models import Ingredient, Recipe

    return (
        Recipe.objects.filter(title__icontains=text)
        .order_by()
        .values("pk")
        .union(
            Recipe.objects.filter(description__icontains=text).order_by().values("pk"),
            Ingredient.objects.filter(item__icontains=text).order_by().values("recipe_id"),
            all=union_all,
        )
    )


def _sqlite_ids(text: str, using: str) -> tuple[RawSQL, bool]:
    """The FTS5 table's ``rowid``s matching ``text`` as one string, and whether they are more
    than :data:`MANY_MATCHES` (counted first: FTS5 reads its lists lazily, so a count that stops
    early stops the reading too). SQLite materialises ``id IN (...)`` and always starts from
    that list, whence the choice above."""
    phrase = fts5_string(text)
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {SQLITE_TABLE} "  # noqa: S608
            f"WHERE {SQLITE_TABLE} MATCH %s LIMIT %s)",
            [phrase, MANY_MATCHES + 1],
        )
        (matches,) = cursor.fetchone()
    # The text is a parameter, the table name a constant.
    ids = RawSQL(  # noqa: S611
        f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s",  # noqa: S608
        (phrase,),
    )
    return ids, matches > MANY_MATCHES
