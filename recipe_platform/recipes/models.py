"""Recipes and the categories they are filed under, and the photo files no recipe uses.

A recipe's photo is two files made by :mod:`recipes.images` (a display size and a thumbnail,
both re-encoded, never the upload itself); the model only records their names and sizes. Every
stored file that no recipe references is an :class:`UnusedPhotoFile` row, which says when it may
be deleted (:mod:`recipes.cleanup`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Cast, Now
from django.db.models.lookups import GreaterThan
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from recipes import page_cache
from recipes.ingredients import ITEM_MAX_LENGTH, NOTE_MAX_LENGTH, Amount, System, Unit, amount
from recipes.search import matching_ids
from recipes.validators import validate_single_line

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from recipes.images import StoredImage

MAX_MINUTES = 48 * 60  # a two-day ferment is a recipe; a typo of 9999 minutes is not
MAX_SERVINGS = 100
# The stars a rating may give (community.models.Rating); the recipe's totals are checked by them.
MIN_STARS = 1
MAX_STARS = 5
# Recipe's columns that community.services keeps (see Recipe.save).
COMMUNITY_TOTALS = frozenset({"rating_count", "rating_total", "rating_average", "comment_count"})
SLUG_BASE_LENGTH = 120
# Paths under /recipes/ that a recipe's slug must never shadow.
RESERVED_SLUGS = frozenset({"new", "mine"})
_STEP_NUMBER = re.compile(r"^\s*(?:step\s*)?\d+\s*[.):-]\s*", re.IGNORECASE)


class Category(models.Model):
    """A shelf a recipe can sit on; a recipe can sit on several (a vegetarian dessert is both)."""

    name = models.CharField(max_length=60, unique=True, validators=[validate_single_line])
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('recipes:list')}?category={self.slug}"


class ListOrder(models.TextChoices):
    """The orders the recipe list offers (``?sort=``); the newest first unless asked."""

    NEWEST = "", "Newest"
    BEST_RATED = "rating", "Best rated"


class RecipeQuerySet(models.QuerySet["Recipe"]):
    # Bulk writes send no model signals: they make cached list pages stale themselves.
    def update(self, **kwargs: Any) -> int:
        rows = super().update(**kwargs)
        page_cache.invalidate_after_write()
        return rows

    def bulk_create(self, objs: Iterable[Recipe], *args: Any, **kwargs: Any) -> list[Recipe]:
        created = super().bulk_create(objs, *args, **kwargs)
        page_cache.invalidate_after_write()
        return created

    def bulk_update(self, objs: Iterable[Recipe], *args: Any, **kwargs: Any) -> int:
        rows = super().bulk_update(objs, *args, **kwargs)
        page_cache.invalidate_after_write()
        return rows

    def for_cards(self) -> RecipeQuerySet:
        """The recipes a list of cards shows, with their authors (the totals are the recipe's
        own columns). :func:`recipes.cards.cards` reads the page's categories in one query of
        its own, cheaper than ``prefetch_related("categories")`` (Performance)."""
        return self.select_related("author")

    def owned_by(self, user: AbstractBaseUser | AnonymousUser) -> RecipeQuerySet:
        """The recipes ``user`` may change: their own. Anyone else's is simply not found."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(author_id=user.pk)

    def search(self, text: str) -> RecipeQuerySet:
        """Recipes whose title, description or an ingredient's item contain ``text`` (any case),
        found through the database's trigram index (:mod:`recipes.search`), not a scan."""
        text = text.strip()
        if not text:
            return self
        return self.filter(matching_ids(text, self.db))

    def in_category(self, category: Category | None) -> RecipeQuerySet:
        """Recipes filed under ``category``, as an ``EXISTS`` on the link table.

        Not a join: joined, SQLite starts from the category's rows in the link table and sorts
        all of them (60 ms for a category of 14,000 recipes among 100,000); with ``EXISTS`` it
        walks the order's own index and probes the link table's (recipe, category) unique
        index until the page is full (1 ms).
        """
        if category is None:
            return self
        filed = Recipe.categories.through.objects.filter(
            recipe_id=models.OuterRef("pk"), category_id=category.pk
        )
        return self.filter(models.Exists(filed))

    def in_order(self, order: str) -> RecipeQuerySet:
        """The list in one of :class:`ListOrder`'s orders (the model's own for the default)."""
        if order == ListOrder.BEST_RATED:
            return self.best_rated_first()
        return self

    def best_rated_first(self) -> RecipeQuerySet:
        """Best average rating first, then the most ratings, then the newest.

        Recipes nobody has rated yet have an average of 0 (a rating gives one star at least), so
        they come after every rated one, newest first among themselves: ``recipe_best_rated_idx``
        in order, with no join and no sort.
        """
        return self.order_by("-rating_average", "-rating_count", "-created", "-id")

    def rated(self) -> RecipeQuerySet:
        """Recipes someone has rated ("Top rated" shows only these)."""
        return self.filter(rating_count__gt=0)

    def with_image(self) -> RecipeQuerySet:
        return self.exclude(image="")

    def without_image(self) -> RecipeQuerySet:
        return self.filter(image="")

    def free_slug(self, title: str) -> str:
        """A slug for ``title`` that no recipe uses yet: ``pancakes``, then ``pancakes-2``, ...

        Titles without a single ASCII letter or digit (or that would shadow a page such as
        ``/recipes/new/``) start from ``recipe``.
        """
        base = slugify(title)[:SLUG_BASE_LENGTH].strip("-") or "recipe"
        if base in RESERVED_SLUGS:
            base = f"{base}-recipe"
        taken = set(self.filter(slug__startswith=base).values_list("slug", flat=True))
        if base not in taken:
            return base
        suffix = 2
        while f"{base}-{suffix}" in taken:
            suffix += 1
        return f"{base}-{suffix}"


def photo_srcset(image_url: str, image_width: int, thumbnail_url: str, thumbnail_width: int) -> str:
    """Both stored sizes of a photo for ``<img srcset>``; one candidate when the photo was
    small (its thumbnail is no narrower)."""
    if thumbnail_width >= image_width:
        return f"{image_url} {image_width}w"
    return f"{thumbnail_url} {thumbnail_width}w, {image_url} {image_width}w"


class Recipe(models.Model):
    title = models.CharField(max_length=120, validators=[validate_single_line])
    slug = models.SlugField(
        max_length=140,
        unique=True,
        help_text="The recipe's address, /recipes/<slug>/. Made from the title; keep it stable.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recipes"
    )
    description = models.CharField(
        max_length=280, blank=True, help_text="One or two sentences shown on the recipe card."
    )
    instructions = models.TextField(
        max_length=10_000, help_text="One step per line; they are numbered for you."
    )
    prep_minutes = models.PositiveSmallIntegerField(
        "preparation time (minutes)", validators=[MaxValueValidator(MAX_MINUTES)]
    )
    cook_minutes = models.PositiveSmallIntegerField(
        "cooking time (minutes)", validators=[MaxValueValidator(MAX_MINUTES)]
    )
    servings = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SERVINGS)]
    )
    categories = models.ManyToManyField(Category, related_name="recipes", blank=True)

    # Written only by recipes.services from what recipes.images produced, never by a form.
    image = models.ImageField("photo", blank=True, editable=False)
    image_width = models.PositiveSmallIntegerField(db_default=0, editable=False)
    image_height = models.PositiveSmallIntegerField(db_default=0, editable=False)
    thumbnail = models.ImageField(blank=True, editable=False)
    thumbnail_width = models.PositiveSmallIntegerField(db_default=0, editable=False)
    thumbnail_height = models.PositiveSmallIntegerField(db_default=0, editable=False)
    image_alt = models.CharField(
        "photo description",
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text="What the photo shows, for people who cannot see it.",
    )

    # What cooks said, as totals kept on the recipe's own row by ``community.services`` in the
    # same transaction as every rating or comment that moves them (the cascade of deleting a
    # user included): a card reads them without a join, and "Best rated" is one index scan.
    rating_count = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    rating_total = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    rating_average = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.00"),
        db_default=Decimal("0.00"),
        editable=False,
    )
    comment_count = models.PositiveIntegerField(default=0, db_default=0, editable=False)

    created = models.DateTimeField(db_default=Now(), editable=False)
    updated = models.DateTimeField(auto_now=True)

    objects = RecipeQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [
            # The public list and the admin changelist, newest first.
            models.Index(fields=["-created", "-id"], name="recipe_newest_idx"),
            # "My recipes", newest first.
            models.Index(fields=["author", "-created"], name="recipe_author_newest_idx"),
            # "Best rated" (the list's ?sort=rating and "Top rated"), in the order's own terms,
            # unrated recipes (average 0) last and newest first among themselves.
            models.Index(
                fields=["-rating_average", "-rating_count", "-created", "-id"],
                name="recipe_best_rated_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(prep_minutes__lte=MAX_MINUTES)
                & models.Q(cook_minutes__lte=MAX_MINUTES),
                name="recipe_minutes_in_range",
                violation_error_message=f"Times must be between 0 and {MAX_MINUTES} minutes.",
            ),
            models.CheckConstraint(
                condition=models.Q(servings__gte=1, servings__lte=MAX_SERVINGS),
                name="recipe_servings_in_range",
                violation_error_message=f"Servings must be between 1 and {MAX_SERVINGS}.",
            ),
            models.CheckConstraint(
                condition=models.Q(image="", thumbnail="")
                | (
                    ~models.Q(image="")
                    & ~models.Q(thumbnail="")
                    & models.Q(image_width__gt=0, image_height__gt=0)
                    & models.Q(thumbnail_width__gt=0, thumbnail_height__gt=0)
                ),
                name="recipe_image_is_complete",
                violation_error_message="A photo needs both of its sizes.",
            ),
            # The totals can be wrong only by a writer that bypasses community.services; the
            # database refuses at least the impossible ones.
            models.CheckConstraint(
                condition=models.Q(
                    rating_total__gte=models.F("rating_count") * MIN_STARS,
                    rating_total__lte=models.F("rating_count") * MAX_STARS,
                ),
                name="recipe_rating_total_matches_count",
            ),
            models.CheckConstraint(
                condition=models.Q(rating_count=0, rating_average=0)
                | models.Q(
                    rating_count__gt=0,
                    rating_average__gte=MIN_STARS,
                    rating_average__lte=MAX_STARS,
                ),
                name="recipe_rating_average_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(image="") | ~models.Q(image_alt=""),
                name="recipe_image_has_alt_text",
                violation_error_message="Describe the photo for people who cannot see it.",
            ),
            # No two recipes share a file, so deleting one recipe's files never breaks another.
            # (Their indexes also serve the clean-up's "is this file still used?" lookups.)
            models.UniqueConstraint(
                fields=["image"],
                condition=~models.Q(image=""),
                name="recipe_image_unique",
                violation_error_message="This photo already belongs to another recipe.",
            ),
            models.UniqueConstraint(
                fields=["thumbnail"],
                condition=~models.Q(thumbnail=""),
                name="recipe_thumbnail_unique",
                violation_error_message="This photo already belongs to another recipe.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, **kwargs: Any) -> None:
        """Save the recipe, never the community's totals it happened to read.

        The totals are written only by ``community.services``, with the row locked; a cook's
        edit (or the admin's) that loaded the recipe before someone rated it would otherwise
        write the old totals back.
        """
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in COMMUNITY_TOTALS
            ]
        super().save(**kwargs)

    def get_absolute_url(self) -> str:
        return reverse("recipes:detail", kwargs={"slug": self.slug})

    def scaled_ingredients(
        self, servings: int | None = None, system: str = System.AS_WRITTEN
    ) -> list[Amount]:
        """The ingredients for ``servings`` (the recipe's own by default), in ``system``'s units.

        Reads ``self.ingredients.all()``: prefetch it for a list of recipes.
        """
        factor = Fraction(servings or self.servings, self.servings)
        return [row.amount(factor, system) for row in self.ingredients.all()]

    @property
    def ingredient_list(self) -> list[str]:
        """The ingredients as written, one line each (the JSON-LD's ``recipeIngredient``)."""
        return [str(line) for line in self.scaled_ingredients()]

    @property
    def steps(self) -> list[str]:
        """The instructions, one step per non-blank line, without numbers the cook typed.

        The page numbers the steps itself (an ``<ol>``), so "1. Preheat" would read "1. 1. Preheat".
        """
        steps = (_STEP_NUMBER.sub("", line).strip() for line in self.instructions.splitlines())
        return [step for step in steps if step]

    @property
    def total_minutes(self) -> int:
        return self.prep_minutes + self.cook_minutes

    @property
    def has_image(self) -> bool:
        return bool(self.image)

    @property
    def image_srcset(self) -> str:
        """Both stored sizes for ``<img srcset>``; one candidate when the photo was small."""
        if not self.image:
            return ""
        return self.srcset(self.image.url, self.thumbnail.url)

    def srcset(self, image_url: str, thumbnail_url: str) -> str:
        """:attr:`image_srcset` from the two files' URLs, for a caller that has them already
        (a card: each ``url`` is a call to the storage)."""
        return photo_srcset(image_url, self.image_width, thumbnail_url, self.thumbnail_width)

    @property
    def author_name(self) -> str:
        """What a card shows of the author (load the author with the recipe)."""
        return self.author.get_username()

    def photo_names(self) -> tuple[str, str] | None:
        """The photo's and the thumbnail's file names, or None without a photo."""
        return (self.image.name, self.thumbnail.name) if self.image else None

    @property
    def image_files(self) -> list[str]:
        """The storage names of this recipe's photo files (none without a photo)."""
        return [name for name in (self.image.name, self.thumbnail.name) if name]

    def set_image(self, stored: StoredImage, *, alt: str) -> None:
        self.image = stored.display_name
        self.image_width, self.image_height = stored.display_size
        self.thumbnail = stored.thumbnail_name
        self.thumbnail_width, self.thumbnail_height = stored.thumbnail_size
        self.image_alt = alt

    def clear_image(self) -> None:
        self.image = self.thumbnail = ""
        self.image_width = self.image_height = 0
        self.thumbnail_width = self.thumbnail_height = 0
        self.image_alt = ""


class Ingredient(models.Model):
    """One line of a recipe's ingredients: an amount (optional), a unit, the item and a note.

    The quantity is a fraction stored exactly, as numerator and denominator, so scaling a third
    of a cup never drifts; a range ("2-3 apples") has an upper bound, stored the same way. A line
    that says no amount ("salt, to taste") has neither.
    """

    recipe = models.ForeignKey(Recipe, on_delete=models.CASCADE, related_name="ingredients")
    position = models.PositiveSmallIntegerField()
    quantity_numerator = models.PositiveIntegerField(null=True, blank=True)
    quantity_denominator = models.PositiveIntegerField(null=True, blank=True)
    quantity_max_numerator = models.PositiveIntegerField(null=True, blank=True)
    quantity_max_denominator = models.PositiveIntegerField(null=True, blank=True)
    unit = models.CharField(max_length=8, choices=Unit.choices, blank=True)
    item = models.CharField(max_length=ITEM_MAX_LENGTH, validators=[validate_single_line])
    note = models.CharField(
        max_length=NOTE_MAX_LENGTH, blank=True, validators=[validate_single_line]
    )

    class Meta:
        ordering = ["recipe", "position"]
        constraints = [
            # Also the index of "this recipe's ingredients, in order".
            models.UniqueConstraint(
                fields=["recipe", "position"], name="ingredient_position_unique"
            ),
            models.CheckConstraint(condition=~models.Q(item=""), name="ingredient_has_item"),
            models.CheckConstraint(
                # A CHECK passes on NULL: each side says "not null" outright.
                condition=models.Q(
                    quantity_numerator__isnull=True, quantity_denominator__isnull=True
                )
                | models.Q(
                    quantity_numerator__isnull=False,
                    quantity_denominator__isnull=False,
                    quantity_numerator__gt=0,
                    quantity_denominator__gt=0,
                ),
                name="ingredient_quantity_is_positive_fraction",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    quantity_max_numerator__isnull=True, quantity_max_denominator__isnull=True
                )
                | models.Q(
                    # max / max_den > low / den, without a division: both denominators are > 0.
                    # In 64 bits: two 32-bit columns' product overflows PostgreSQL's integer.
                    GreaterThan(
                        Cast("quantity_max_numerator", models.BigIntegerField())
                        * Cast("quantity_denominator", models.BigIntegerField()),
                        Cast("quantity_numerator", models.BigIntegerField())
                        * Cast("quantity_max_denominator", models.BigIntegerField()),
                    ),
                    quantity_numerator__isnull=False,
                    quantity_denominator__isnull=False,
                    quantity_max_numerator__isnull=False,
                    quantity_max_denominator__isnull=False,
                    quantity_max_denominator__gt=0,
                ),
                name="ingredient_range_is_increasing",
            ),
        ]

    def __str__(self) -> str:
        return str(self.amount())

    @property
    def quantity(self) -> Fraction | None:
        if self.quantity_numerator is None or self.quantity_denominator is None:
            return None
        return Fraction(self.quantity_numerator, self.quantity_denominator)

    @quantity.setter
    def quantity(self, value: Fraction | None) -> None:
        self.quantity_numerator = value.numerator if value is not None else None
        self.quantity_denominator = value.denominator if value is not None else None

    @property
    def quantity_max(self) -> Fraction | None:
        if self.quantity_max_numerator is None or self.quantity_max_denominator is None:
            return None
        return Fraction(self.quantity_max_numerator, self.quantity_max_denominator)

    @quantity_max.setter
    def quantity_max(self, value: Fraction | None) -> None:
        self.quantity_max_numerator = value.numerator if value is not None else None
        self.quantity_max_denominator = value.denominator if value is not None else None

    def amount(self, factor: Fraction = Fraction(1), system: str = System.AS_WRITTEN) -> Amount:
        return amount(
            quantity=self.quantity,
            quantity_max=self.quantity_max,
            unit=self.unit,
            item=self.item,
            note=self.note,
            factor=factor,
            system=system,
        )


class UnusedPhotoFileQuerySet(models.QuerySet["UnusedPhotoFile"]):
    def register(self, names: Iterable[str], *, keep_for: timedelta) -> None:
        """Record files about to be stored, which a recipe may take within ``keep_for``."""
        delete_after = timezone.now() + keep_for
        self.bulk_create(
            [UnusedPhotoFile(name=name, delete_after=delete_after) for name in names],
            ignore_conflicts=True,
        )

    def claim(self, names: Iterable[str]) -> bool:
        """Take files for a recipe: forget them, if they may still be taken. All or nothing.

        Run inside the transaction that saves the recipe. A file may be taken only while its
        time lasts (a photo held by a form, or one stored a moment ago for this very save); a
        file a recipe released, or one past its time, is on its way out and is refused. Two
        saves claiming the same files (a form submitted twice) cannot both succeed: the
        database lets only one of them delete the rows.
        """
        wanted = set(names)
        claimed, _ = self.filter(name__in=wanted, delete_after__gt=timezone.now()).delete()
        return claimed == len(wanted)

    def release(self, names: Iterable[str]) -> None:
        """Record files a recipe no longer uses (replaced, removed or deleted): due at once."""
        now = timezone.now()
        self.bulk_create(
            [UnusedPhotoFile(name=name, delete_after=now) for name in names],
            update_conflicts=True,
            unique_fields=["name"],
            update_fields=["delete_after"],
        )

    def due(self) -> UnusedPhotoFileQuerySet:
        """Files whose time is up: the clean-up deletes them."""
        return self.filter(delete_after__lte=timezone.now())


class UnusedPhotoFile(models.Model):
    """A stored photo file that no recipe references, and from when it may be deleted.

    A row is written *before* a file is stored (``recipes.images.store``) and deleted in the
    transaction that puts the file on a recipe (``claim``), so a file is always referenced by a
    recipe or recorded here, whatever crashes in between: an upload whose recipe was never saved,
    a photo held by a form that was abandoned, a recipe's old photo whose deletion task was lost.
    The clean-up (``recipes.cleanup``) deletes the due ones, a bounded batch at a time, without
    ever listing the storage.
    """

    name = models.CharField(max_length=100, unique=True)  # the length of Recipe.image's names
    delete_after = models.DateTimeField(db_index=True)

    objects = UnusedPhotoFileQuerySet.as_manager()

    class Meta:
        ordering = ["delete_after", "id"]

    def __str__(self) -> str:
        return self.name


class RecipeVersion(models.Model):
    """One kept version of a recipe, and the photo files it names.

    The version itself is a django-reversion ``Revision`` holding the recipe's fields and its
    ingredient rows as they were (``recipes.history``); this row is written with it, in the same
    transaction (reversion's revision "meta"), so that the questions asked often are indexed
    lookups instead of scans of serialised JSON: "this recipe's versions, newest first" and,
    for the clean-up, "does a kept version still name this file?" (``recipes.cleanup``).
    """

    revision = models.OneToOneField(
        "reversion.Revision",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="recipe_version",
    )
    recipe = models.ForeignKey(Recipe, on_delete=models.CASCADE, related_name="versions")
    # The names Recipe.image and Recipe.thumbnail had in this version ("" without a photo).
    image = models.CharField(max_length=100, blank=True)
    thumbnail = models.CharField(max_length=100, blank=True)
    # The version this one brought back, when it was a restore (linked while that one is kept).
    restored_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["recipe", "-revision_id"]
        indexes = [
            # A recipe's history, newest first (and the pruning of the oldest).
            models.Index(fields=["recipe", "-revision"], name="recipe_version_newest_idx"),
            # The clean-up's "is this file still named?"; partial, as Recipe's own are.
            models.Index(
                fields=["image"], condition=~models.Q(image=""), name="recipe_version_image_idx"
            ),
            models.Index(
                fields=["thumbnail"],
                condition=~models.Q(thumbnail=""),
                name="recipe_version_thumbnail_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(image="", thumbnail="")
                | (~models.Q(image="") & ~models.Q(thumbnail="")),
                name="recipe_version_image_is_complete",
                violation_error_message="A photo needs both of its sizes.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipe_id} @ {self.revision_id}"
