"""Recipe totals after deletions that do not go through :mod:`community.services`.

The admin deletes ratings and comments, and deleting a user deletes theirs by cascade; neither
calls a service, and both send ``post_delete`` for each row, inside the deleting transaction.
So the recount happens in the same transaction as the deletion, whoever deletes. A deletion
that started from the recipe itself (its ratings go with it) recounts nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import post_delete

from community import services
from community.models import Comment, Rating
from recipes.models import Recipe


def _recount_ratings(instance: Rating, origin: Any = None, **kwargs: Any) -> None:
    if not _deleting_recipes(origin):
        services.recount_ratings(instance.recipe_id)


def _recount_comments(instance: Comment, origin: Any = None, **kwargs: Any) -> None:
    if not _deleting_recipes(origin):
        services.recount_comments(instance.recipe_id)


def _deleting_recipes(origin: Any) -> bool:
    """Whether the deletion started from recipes (a recipe or a queryset of them)."""
    if isinstance(origin, QuerySet):
        return origin.model is Recipe
    return isinstance(origin, Recipe)


def connect() -> None:
    post_delete.connect(_recount_ratings, sender=Rating, dispatch_uid="community.ratings")
    post_delete.connect(_recount_comments, sender=Comment, dispatch_uid="community.comments")
