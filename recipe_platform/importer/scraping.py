"""Reading a recipe out of a fetched page, with recipe-scrapers' schema.org parsing.

Only ``scrape_html`` is used, on HTML :mod:`importer.safe_fetch` fetched: the library's own
network code (``scrape_me``, ``online=True``) never runs. Sites it knows get their own parser,
any other site its generic schema.org ``Recipe`` reader (``supported_only=False``). Each field is
read on its own: a page without times still gives its title and ingredients; a page with
neither a title nor ingredients is "no recipe found".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from recipes.models import MAX_MINUTES, MAX_SERVINGS

logger = logging.getLogger(__name__)

T = TypeVar("T")
NO_RECIPE_MESSAGE = "No recipe was found on this page (it has no schema.org Recipe data)."
_TITLE_LENGTH = 120
_DESCRIPTION_LENGTH = 280
_INGREDIENTS_LENGTH = 5_000
_INSTRUCTIONS_LENGTH = 10_000


class NoRecipeFound(Exception):
    pass


@dataclass(frozen=True)
class ImportedRecipe:
    """What the create form is pre-filled with; every field may be empty but the title."""

    title: str
    description: str = ""
    ingredients: list[str] = field(default_factory=list)
    instructions: list[str] = field(default_factory=list)
    servings: int | None = None
    prep_minutes: int | None = None
    cook_minutes: int | None = None
    image_url: str = ""


def parse(html: str, url: str) -> ImportedRecipe:
    """The recipe in ``html`` (fetched from ``url``), or ``NoRecipeFound``."""
    # Imported here, not at the top: recipe-scrapers (with its HTML, RDFa and microdata
    # parsers) costs about a second of start-up, which every process that loads the URLs
    # (gunicorn workers, the task worker, each ``manage.py`` command) would pay for a page
    # few requests use.
    from recipe_scrapers import scrape_html
    from recipe_scrapers._exceptions import RecipeScrapersExceptions

    try:
        scraper = scrape_html(html, org_url=url, supported_only=False)
    except RecipeScrapersExceptions as error:
        raise NoRecipeFound(NO_RECIPE_MESSAGE) from error
    except Exception as error:  # a parser choking on a hostile page is "no recipe" too
        logger.warning("recipe-scrapers could not parse %s: %r", url, error)
        raise NoRecipeFound(NO_RECIPE_MESSAGE) from error
    title = _single_line(_read(scraper.title, ""))[:_TITLE_LENGTH]
    raw_ingredients: list[str] = _read(scraper.ingredients, [])
    ingredients = [_single_line(line) for line in raw_ingredients]
    ingredients = [line for line in ingredients if line]
    if not title or not ingredients:
        raise NoRecipeFound(NO_RECIPE_MESSAGE)
    raw_steps: list[str] = _read(scraper.instructions_list, [])
    instructions = [_single_line(step) for step in raw_steps if step.strip()]
    return ImportedRecipe(
        title=title,
        description=_single_line(_read(scraper.description, ""))[:_DESCRIPTION_LENGTH],
        ingredients=_within(ingredients, _INGREDIENTS_LENGTH),
        instructions=_within(instructions, _INSTRUCTIONS_LENGTH),
        servings=_bounded(_servings(_read(scraper.yields, "")), 1, MAX_SERVINGS),
        prep_minutes=_bounded(_read(scraper.prep_time, None), 0, MAX_MINUTES),
        cook_minutes=_bounded(_read(scraper.cook_time, None), 0, MAX_MINUTES),
        image_url=_read(scraper.image, "") or "",
    )


def _read(getter: Callable[[], T], default: T) -> T:
    try:
        value = getter()
    except Exception:  # a field the page lacks, or malformed: leave it for the cook to fill in
        return default
    return default if value is None else value


def _single_line(text: object) -> str:
    """One line of printable text: control and format characters become spaces."""
    cleaned = "".join(" " if not char.isprintable() else char for char in str(text))
    return " ".join(cleaned.split())


def _within(lines: list[str], limit: int) -> list[str]:
    """As many whole lines as fit the form field's length (newlines counted)."""
    kept: list[str] = []
    used = 0
    for line in lines:
        used += len(line) + 1
        if used > limit:
            break
        kept.append(line)
    return kept


def _servings(yields: str) -> int | None:
    for word in str(yields).split():
        if word.isdigit():
            return int(word)
    return None


def _bounded(value: object, low: int, high: int) -> int | None:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        return None
    return value
