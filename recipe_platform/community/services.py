"""Writes of ratings, comments and favourites, each with its totals in the same transaction.

Every change that moves a recipe's average or visible comment count locks the recipe's
``RecipeStats`` row (``select_for_update``) and recomputes it from the ratings table, so two
cooks rating at once can never leave a wrong total. The anonymous list page cache shows both
numbers on the cards, so each change starts a new cache generation
(``recipes.page_cache.invalidate_after_write``).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from accounts.models import User
from community.models import OWN_RECIPE_MESSAGE, Comment, Favourite, Rating, RecipeStats
from recipes import page_cache
from recipes.models import Recipe


@transaction.atomic
def rate(*, recipe: Recipe, user: User, stars: int) -> Rating:
    """Give (or change) ``user``'s stars for ``recipe``. ``ValidationError`` on one's own."""
    if recipe.author_id == user.pk:
        raise ValidationError(OWN_RECIPE_MESSAGE, code="own_recipe")
    stats = _locked_stats(recipe)
    rating, _ = Rating.objects.update_or_create(recipe=recipe, user=user, defaults={"stars": stars})
    totals = Rating.objects.filter(recipe=recipe).aggregate(count=Count("id"), total=Sum("stars"))
    stats.rating_count = totals["count"]
    stats.rating_total = totals["total"] or 0
    stats.average = _average(stats.rating_total, stats.rating_count)
    stats.save(update_fields=["rating_count", "rating_total", "average"])
    page_cache.invalidate_after_write()
    return rating


@transaction.atomic
def add_comment(*, recipe: Recipe, author: User, body: str) -> Comment:
    stats = _locked_stats(recipe)
    comment = Comment.objects.create(recipe=recipe, author=author, body=body)
    _recount_comments(stats)
    return comment


@transaction.atomic
def hide_comment(*, comment: Comment, moderator: User) -> bool:
    """Hide ``comment``, recording who and when; ``False`` if it was hidden already."""
    stats = _locked_stats(comment.recipe)
    hidden = Comment.objects.filter(pk=comment.pk, hidden_at__isnull=True).update(
        hidden_at=timezone.now(), hidden_by=moderator
    )
    if hidden:
        _recount_comments(stats)
    return bool(hidden)


def save_favourite(*, recipe: Recipe, user: User) -> None:
    """Idempotent: saving twice keeps one favourite (the unique constraint says so too)."""
    Favourite.objects.get_or_create(recipe=recipe, user=user)


def remove_favourite(*, recipe: Recipe, user: User) -> None:
    Favourite.objects.filter(recipe=recipe, user=user).delete()


def _locked_stats(recipe: Recipe) -> RecipeStats:
    RecipeStats.objects.get_or_create(recipe=recipe)
    return RecipeStats.objects.select_for_update().get(recipe=recipe)


def _recount_comments(stats: RecipeStats) -> None:
    stats.comment_count = Comment.objects.visible().filter(recipe_id=stats.recipe_id).count()
    stats.save(update_fields=["comment_count"])
    page_cache.invalidate_after_write()


def _average(total: int, count: int) -> Decimal:
    if not count:
        return Decimal("0.00")
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
