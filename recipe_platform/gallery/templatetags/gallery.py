"""The recipe page's gallery, as one inclusion tag: one query whatever the number of photos.

A tag rather than context from ``RecipeDetailView``, so this app adds its section to the page
without changing the recipes app's view (as ``community`` does with its panel).
"""

from __future__ import annotations

from typing import Any

from django import template

from gallery.models import MAX_PHOTOS, RecipePhoto
from recipes.models import Recipe

register = template.Library()


@register.inclusion_tag("gallery/_recipe_gallery.html", takes_context=True)
def recipe_gallery(context: template.Context, recipe: Recipe) -> dict[str, Any]:
    user = context["request"].user
    return {
        "recipe": recipe,
        "photos": list(RecipePhoto.objects.filter(recipe=recipe)),
        "max_photos": MAX_PHOTOS,
        "can_manage": user.is_authenticated and (user.is_staff or user.pk == recipe.author_id),
    }
