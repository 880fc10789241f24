"""The recipe page's ratings, favourite button and comments, as one inclusion tag.

A tag rather than context from ``RecipeDetailView``, so this app adds its section to the page
without changing the recipes app's view. It costs a fixed number of queries: the latest
comments with their authors, and for a logged-in cook their rating and favourite (the totals
are the recipe's own columns).
"""

from __future__ import annotations

from typing import Any

from django import template

from community.forms import CommentForm, RatingForm
from community.models import Comment, Favourite, Rating
from recipes.models import Recipe

register = template.Library()

LATEST_COMMENTS = 5


@register.inclusion_tag("community/_recipe_panel.html", takes_context=True)
def recipe_community(context: template.Context, recipe: Recipe) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    comments = list(
        Comment.objects.visible()
        .filter(recipe=recipe)
        .select_related("author")[: LATEST_COMMENTS + 1]
    )
    my_rating = None
    is_favourite = False
    if user.is_authenticated:
        my_rating = (
            Rating.objects.filter(recipe=recipe, user=user).values_list("stars", flat=True).first()
        )
        is_favourite = Favourite.objects.filter(recipe=recipe, user=user).exists()
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "user": user,
        "recipe": recipe,
        "comments": comments[:LATEST_COMMENTS],
        "more_comments": len(comments) > LATEST_COMMENTS,
        "my_rating": my_rating,
        "is_favourite": is_favourite,
        "can_rate": user.is_authenticated and user.pk != recipe.author_id,
        "can_moderate": user.is_authenticated and (user.is_staff or user.pk == recipe.author_id),
        "rating_form": RatingForm(initial={"stars": my_rating}),
        "comment_form": CommentForm(),
    }
