"""A recipe's photos besides its cover: up to seven more, so eight in all.

The cover stays the recipe's own photo (``Recipe.image`` and ``thumbnail``): the cards, the list
page cache, the JSON-LD and the admin keep reading it where they always did. A
:class:`RecipePhoto` holds one of the others, made by the same pipeline (``recipes.images``:
re-encoded WebP, a display size and a thumbnail, under random names), with the same required
description for people who cannot see it.

The limit is the database's as well as the service's: a photo's ``position`` is unique per
recipe and between 0 and 6, so an eighth row has nowhere to go whatever the code above it does,
and the positions a gallery uses are 0, 1, 2, ... without gaps (``gallery.services`` keeps them
dense under a lock of the recipe's row).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models.functions import Now

from recipes.images import StoredImage
from recipes.models import Recipe
from recipes.validators import validate_single_line

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

MAX_PHOTOS = 8  # a recipe's photos, the cover included (README, "Photo gallery")
MAX_GALLERY_PHOTOS = MAX_PHOTOS - 1  # the gallery's own rows: every photo but the cover
ALT_MAX_LENGTH = 200  # as Recipe.image_alt
GALLERY_FULL_MESSAGE = (
    f"This recipe already has {MAX_PHOTOS} photos, the most it can have (the cover "
    "included). Delete one to add another."
)


def manageable_recipes(user: AbstractBaseUser | AnonymousUser) -> models.QuerySet[Recipe]:
    """The recipes whose gallery ``user`` manages: their own, and every recipe for staff.

    Anyone else's recipe is simply not found (a 404, like one that does not exist).
    """
    if not user.is_authenticated:
        return Recipe.objects.none()
    if getattr(user, "is_staff", False):
        return Recipe.objects.all()
    return Recipe.objects.owned_by(user)


class RecipePhotoQuerySet(models.QuerySet["RecipePhoto"]):
    def managed_by(self, user: AbstractBaseUser | AnonymousUser) -> RecipePhotoQuerySet:
        """The photos ``user`` may delete, move or make the cover (:func:`manageable_recipes`)."""
        return self.filter(recipe__in=manageable_recipes(user))


class RecipePhoto(models.Model):
    """One photo of a recipe's gallery, at ``position`` (0 first) after the cover."""

    recipe = models.ForeignKey(Recipe, on_delete=models.CASCADE, related_name="photos")
    position = models.PositiveSmallIntegerField()
    # Written only by gallery.services from what recipes.images produced, never by a form.
    image = models.ImageField("photo", max_length=100, editable=False)
    image_width = models.PositiveSmallIntegerField(editable=False)
    image_height = models.PositiveSmallIntegerField(editable=False)
    thumbnail = models.ImageField(max_length=100, editable=False)
    thumbnail_width = models.PositiveSmallIntegerField(editable=False)
    thumbnail_height = models.PositiveSmallIntegerField(editable=False)
    alt = models.CharField(
        "photo description",
        max_length=ALT_MAX_LENGTH,
        validators=[validate_single_line],
        help_text="What the photo shows, for people who cannot see it.",
    )
    created = models.DateTimeField(db_default=Now(), editable=False)

    objects = RecipePhotoQuerySet.as_manager()

    class Meta:
        ordering = ["recipe", "position"]
        constraints = [
            # Also the index of "this recipe's photos, in order" (the recipe page's one query).
            models.UniqueConstraint(
                fields=["recipe", "position"],
                name="gallery_photo_position_unique",
                violation_error_message="Another photo of this recipe is at this place.",
            ),
            models.CheckConstraint(
                condition=models.Q(position__gte=0, position__lt=MAX_GALLERY_PHOTOS),
                name="gallery_photo_position_in_range",
                violation_error_message=(
                    f"A recipe has at most {MAX_PHOTOS} photos, the cover included."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(image="")
                & ~models.Q(thumbnail="")
                & models.Q(image_width__gt=0, image_height__gt=0)
                & models.Q(thumbnail_width__gt=0, thumbnail_height__gt=0),
                name="gallery_photo_is_complete",
                violation_error_message="A photo needs both of its sizes.",
            ),
            models.CheckConstraint(
                condition=~models.Q(alt=""),
                name="gallery_photo_has_alt_text",
                violation_error_message="Describe the photo for people who cannot see it.",
            ),
        ]
        indexes = [
            # The clean-up's "is this file still named?" (recipes.cleanup): by either size.
            models.Index(fields=["image"], name="gallery_photo_image_idx"),
            models.Index(fields=["thumbnail"], name="gallery_photo_thumbnail_idx"),
        ]

    def __str__(self) -> str:
        return self.alt

    @property
    def files(self) -> StoredImage:
        """This photo's two stored files and their sizes."""
        return StoredImage(
            display_name=self.image.name or "",
            display_size=(self.image_width, self.image_height),
            thumbnail_name=self.thumbnail.name or "",
            thumbnail_size=(self.thumbnail_width, self.thumbnail_height),
        )

    def set_files(self, stored: StoredImage, *, alt: str) -> None:
        self.image = stored.display_name
        self.image_width, self.image_height = stored.display_size
        self.thumbnail = stored.thumbnail_name
        self.thumbnail_width, self.thumbnail_height = stored.thumbnail_size
        self.alt = alt
