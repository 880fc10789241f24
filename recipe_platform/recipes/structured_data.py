"""schema.org ``Recipe`` JSON-LD, so search engines can show a recipe as a rich result.

Google reads it from ``<script type="application/ld+json">``; Django's ``json_script`` filter
only writes ``type="application/json"``, so :func:`json_ld_script_content` escapes the JSON the
same way (``<``, ``>`` and ``&`` as ``\\u`` escapes): a title such as ``</script><script>`` can
never close the element.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

from recipes.models import Recipe

_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def iso_duration(minutes: int) -> str:
    """An ISO 8601 duration: 90 -> ``PT1H30M``, 45 -> ``PT45M``, 0 -> ``PT0M``."""
    hours, minutes = divmod(minutes, 60)
    text = "PT"
    if hours:
        text += f"{hours}H"
    if minutes or not hours:
        text += f"{minutes}M"
    return text


def recipe_json_ld(recipe: Recipe, *, absolute_uri: Callable[[str], str]) -> dict[str, Any]:
    """The schema.org description of ``recipe``; ``absolute_uri`` makes a path a full URL."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Recipe",
        "name": recipe.title,
        "url": absolute_uri(recipe.get_absolute_url()),
        "author": {"@type": "Person", "name": recipe.author.username},
        "datePublished": recipe.created.date().isoformat(),
        "description": recipe.description,
        "prepTime": iso_duration(recipe.prep_minutes),
        "cookTime": iso_duration(recipe.cook_minutes),
        "totalTime": iso_duration(recipe.total_minutes),
        "recipeYield": f"{recipe.servings} servings",
        "recipeCategory": [category.name for category in recipe.categories.all()],
        "recipeIngredient": recipe.ingredient_list,
        "recipeInstructions": [{"@type": "HowToStep", "text": step} for step in recipe.steps],
    }
    if recipe.has_image:
        data["image"] = [absolute_uri(recipe.image.url), absolute_uri(recipe.thumbnail.url)]
    return data


def json_ld_script_content(data: dict[str, Any]) -> SafeString:
    """``data`` as JSON that is safe inside a ``<script>`` element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(text)  # noqa: S308 - every <, > and & is escaped above
