"""Writes of ratings, comments and favourites, with the recipe's totals in the same transaction.

Every change that moves a recipe's rating totals or visible comment count locks the recipe's
row (``select_for_update``) and recounts from the ratings or comments table, so two cooks
rating at once can never leave a wrong total. Deletions that do not come through here (the
admin's, and the cascade of deleting a user) are recounted by :mod:`community.receivers`, inside
the deleting transaction. The anonymous list page cache shows the totals on the cards: writing
them through ``RecipeQuerySet.update`` starts a new cache generation.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from accounts.models import User
from community.models import OWN_RECIPE_MESSAGE, Comment, Favourite, Rating
from recipes.models import Recipe


@transaction.atomic
def rate(*, recipe: Recipe, user: User, stars: int) -> Rating:
    """Give (or change) ``user``'s stars for ``recipe``. ``ValidationError`` on one's own."""
    if recipe.author_id == user.pk:
        raise ValidationError(OWN_RECIPE_MESSAGE, code="own_recipe")
    _lock(recipe.pk)
    rating, _ = Rating.objects.update_or_create(recipe=recipe, user=user, defaults={"stars": stars})
    _store_rating_totals(recipe.pk)
    return rating


@transaction.atomic
def add_comment(*, recipe: Recipe, author: User, body: str) -> Comment:
    _lock(recipe.pk)
    comment = Comment.objects.create(recipe=recipe, author=author, body=body)
    _store_comment_count(recipe.pk)
    return comment


@transaction.atomic
def hide_comment(*, comment: Comment, moderator: User) -> bool:
    """Hide ``comment``, recording who and when; ``False`` if it was hidden already."""
    _lock(comment.recipe_id)
    hidden = Comment.objects.filter(pk=comment.pk, hidden_at__isnull=True).update(
        hidden_at=timezone.now(), hidden_by=moderator
    )
    if hidden:
        _store_comment_count(comment.recipe_id)
    return bool(hidden)


def save_favourite(*, recipe: Recipe, user: User) -> None:
    """Idempotent: saving twice keeps one favourite (the unique constraint says so too)."""
    Favourite.objects.get_or_create(recipe=recipe, user=user)


def remove_favourite(*, recipe: Recipe, user: User) -> None:
    Favourite.objects.filter(recipe=recipe, user=user).delete()


@transaction.atomic
def recount_ratings(recipe_id: int) -> None:
    """Set the recipe's rating totals from its ratings, after a change made elsewhere."""
    _lock(recipe_id)
    _store_rating_totals(recipe_id)


@transaction.atomic
def recount_comments(recipe_id: int) -> None:
    """Set the recipe's visible comment count from its comments, after a change made elsewhere."""
    _lock(recipe_id)
    _store_comment_count(recipe_id)


def _store_rating_totals(recipe_id: int) -> None:
    totals = Rating.objects.filter(recipe_id=recipe_id).aggregate(
        count=Count("id"), total=Sum("stars")
    )
    count, total = totals["count"], totals["total"] or 0
    Recipe.objects.filter(pk=recipe_id).update(
        rating_count=count, rating_total=total, rating_average=_average(total, count)
    )


def _store_comment_count(recipe_id: int) -> None:
    count = Comment.objects.visible().filter(recipe_id=recipe_id).count()
    Recipe.objects.filter(pk=recipe_id).update(comment_count=count)


def _lock(recipe_id: int) -> None:
    # On PostgreSQL, writers of one recipe's totals queue here; SQLite's IMMEDIATE transactions
    # already run writers one at a time.
    list(Recipe.objects.select_for_update().filter(pk=recipe_id).values_list("pk", flat=True))


def _average(total: int, count: int) -> Decimal:
    if not count:
        return Decimal("0.00")
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
