"""What cooks say about each other's recipes: ratings, comments and favourites.

A recipe's rating totals and its number of visible comments are shown on every card and the
list can be sorted by the average, so they are kept on the recipe's own row
(``Recipe.rating_count``, ``rating_total``, ``rating_average``, ``comment_count``), updated in
the same transaction as the rating or comment that changes them (:mod:`community.services`): a
card never computes an aggregate or joins a table for it, and "Best rated" is one index scan.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Length, Now
from django.db.models.lookups import LessThanOrEqual

from recipes.models import MAX_STARS, MIN_STARS, Recipe

MAX_COMMENT_LENGTH = 2_000
OWN_RECIPE_MESSAGE = "You cannot rate your own recipe."


class Rating(models.Model):
    """One cook's 1-5 stars for someone else's recipe; rating again replaces the stars."""

    recipe = models.ForeignKey(Recipe, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ratings"
    )
    stars = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(MIN_STARS), MaxValueValidator(MAX_STARS)]
    )
    created = models.DateTimeField(db_default=Now(), editable=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # Also the index for "this cook's rating of this recipe" on the recipe page.
            models.UniqueConstraint(fields=["recipe", "user"], name="rating_one_per_user"),
            models.CheckConstraint(
                condition=models.Q(stars__gte=MIN_STARS, stars__lte=MAX_STARS),
                name="rating_stars_in_range",
                violation_error_message=f"Choose between {MIN_STARS} and {MAX_STARS} stars.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stars}★ for {self.recipe_id} by {self.user_id}"

    def clean(self) -> None:
        # A check constraint cannot look at another table; the service checks it again under
        # the recipe's row lock, so the admin and the site are refused alike.
        if self.recipe_id and self.user_id and self.recipe.author_id == self.user_id:
            raise ValidationError(OWN_RECIPE_MESSAGE, code="own_recipe")


class CommentQuerySet(models.QuerySet["Comment"]):
    def visible(self) -> CommentQuerySet:
        return self.filter(hidden_at__isnull=True)


class Comment(models.Model):
    """A comment under a recipe. The recipe's author and staff can hide it (never deleted:
    who hid it and when is kept, and the admin still shows it)."""

    recipe = models.ForeignKey(Recipe, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    body = models.TextField("comment", max_length=MAX_COMMENT_LENGTH)
    created = models.DateTimeField(db_default=Now(), editable=False)
    hidden_at = models.DateTimeField(null=True, blank=True, editable=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [
            # A recipe's visible comments, newest first (the recipe page and its count).
            models.Index(
                fields=["recipe", "-created", "-id"],
                condition=models.Q(hidden_at__isnull=True),
                name="comment_visible_newest_idx",
            ),
        ]
        constraints = [
            # A moderator may later be deleted (SET_NULL), but a hider implies a moment.
            models.CheckConstraint(
                condition=models.Q(hidden_by__isnull=True) | models.Q(hidden_at__isnull=False),
                name="comment_hidden_by_has_moment",
            ),
            models.CheckConstraint(condition=~models.Q(body=""), name="comment_body_not_empty"),
            # The form's limit, for every other writer too (TextField's max_length is the form's).
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), MAX_COMMENT_LENGTH),
                name="comment_body_length",
                violation_error_message=f"A comment has at most {MAX_COMMENT_LENGTH} characters.",
            ),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.recipe_id}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Favourite(models.Model):
    """A recipe a cook saved for later ("My favourites")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favourites"
    )
    recipe = models.ForeignKey(Recipe, on_delete=models.CASCADE, related_name="favourites")
    created = models.DateTimeField(db_default=Now(), editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "recipe"], name="favourite_once_per_user"),
        ]
        indexes = [
            # "My favourites", most recently saved first.
            models.Index(fields=["user", "-created", "-id"], name="favourite_user_newest_idx"),
        ]

    def __str__(self) -> str:
        return f"Favourite {self.recipe_id} of {self.user_id}"
