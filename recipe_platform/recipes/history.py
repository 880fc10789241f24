"""Every edit of a recipe keeps the previous version: one django-reversion revision per edit.

A version is the recipe's own fields (photo included) *with* its ingredient rows, which is what
django-reversion stores as one ``Revision``: the recipe is registered with
``follow=("ingredients",)``, so adding it to a revision adds its rows too. Versions are recorded
by ``recipes.services.save_recipe`` in the save's own transaction, never by a signal, so the
site's edit, a restore and any other write through that service record them alike:

- before the first change of a recipe that has no version yet (one published before the history
  existed), its state in the database is kept first, dated from its last change: an edit always
  keeps the previous version, and no data migration has to serialise old rows;
- after the change, the saved state is recorded unless it equals the latest version (a save that
  changed nothing records nothing); the revision's comment says what changed;
- a recipe keeps at most :data:`MAX_VERSIONS`; the oldest beyond that are deleted, and the photo
  files only they named are handed back to be released through ``UnusedPhotoFile``.

Each revision gets a :class:`~recipes.models.RecipeVersion` row in the same transaction (the
recipe, the photo files it names), so listing a history and asking whether a file is still named
are indexed lookups, not scans of serialised JSON.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from fractions import Fraction
from typing import TYPE_CHECKING, Any, cast

import reversion
from django.core.exceptions import ValidationError
from reversion.models import Revision, Version

from recipes import cleanup
from recipes.images import StoredImage
from recipes.ingredients import ParsedIngredient, amount
from recipes.models import Ingredient, Recipe, RecipeVersion, UnusedPhotoFile

if TYPE_CHECKING:
    from accounts.models import User

MAX_VERSIONS = 50
FIRST_VERSION_COMMENT = "As it was before its history was kept"
PHOTO_GONE_MESSAGE = "That version's photo is no longer kept."

# What a version holds: everything a cook edits; not the slug, author or dates, which an edit
# never changes (the revision has its own date and user).
RECIPE_FIELDS = (
    "title",
    "description",
    "instructions",
    "prep_minutes",
    "cook_minutes",
    "servings",
    "categories",
    "image",
    "image_width",
    "image_height",
    "thumbnail",
    "thumbnail_width",
    "thumbnail_height",
    "image_alt",
)
INGREDIENT_FIELDS = (
    "position",
    "quantity_numerator",
    "quantity_denominator",
    "quantity_max_numerator",
    "quantity_max_denominator",
    "unit",
    "item",
    "note",
)


def register() -> None:
    """Register the versioned models with django-reversion (``RecipesConfig.ready``)."""
    reversion.register(Recipe, fields=RECIPE_FIELDS, follow=("ingredients",))
    reversion.register(Ingredient, fields=INGREDIENT_FIELDS)


@dataclass(frozen=True)
class Line:
    """An ingredient row of a version, without its position (the order is the tuple's)."""

    quantity: Fraction | None
    quantity_max: Fraction | None
    unit: str
    item: str
    note: str

    def __str__(self) -> str:
        return str(
            amount(
                quantity=self.quantity,
                quantity_max=self.quantity_max,
                unit=self.unit,
                item=self.item,
                note=self.note,
            )
        )

    def parsed(self) -> ParsedIngredient:
        return ParsedIngredient(
            quantity=self.quantity,
            quantity_max=self.quantity_max,
            unit=self.unit,
            item=self.item,
            note=self.note,
        )

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> Line:
        return cls(
            quantity=_fraction(values["quantity_numerator"], values["quantity_denominator"]),
            quantity_max=_fraction(
                values["quantity_max_numerator"], values["quantity_max_denominator"]
            ),
            unit=values["unit"],
            item=values["item"],
            note=values["note"],
        )


@dataclass(frozen=True)
class Snapshot:
    """A recipe as one version has it: comparable (equal when nothing a cook edits differs)."""

    title: str
    description: str
    instructions: str
    prep_minutes: int
    cook_minutes: int
    servings: int
    category_ids: tuple[int, ...]
    image: str
    image_size: tuple[int, int]
    thumbnail: str
    thumbnail_size: tuple[int, int]
    image_alt: str
    ingredients: tuple[Line, ...]

    @classmethod
    def of_recipe(cls, recipe: Recipe) -> Snapshot:
        """The recipe as saved in the database (three queries: it, its categories, its rows)."""
        saved = Recipe.objects.get(pk=recipe.pk)
        rows = Ingredient.objects.filter(recipe_id=recipe.pk).order_by("position").values()
        values = {name: getattr(saved, name) for name in RECIPE_FIELDS if name != "categories"}
        values["categories"] = saved.categories.values_list("pk", flat=True)
        return cls._build(values, [Line.from_values(row) for row in rows])

    @classmethod
    def of_versions(cls, versions: Iterable[Version]) -> Snapshot:
        """The snapshot a revision's stored versions describe (one recipe and its rows)."""
        recipe: dict[str, Any] | None = None
        rows: list[tuple[int, Line]] = []
        for version in versions:
            values = version.field_dict
            if version.content_type.model_class() is Recipe:
                recipe = values
            else:
                rows.append((values["position"], Line.from_values(values)))
        if recipe is None:
            raise ValueError("A recipe's revision without the recipe.")
        return cls._build(recipe, [line for _, line in sorted(rows, key=lambda row: row[0])])

    @classmethod
    def _build(cls, values: dict[str, Any], lines: list[Line]) -> Snapshot:
        return cls(
            title=values["title"],
            description=values["description"],
            instructions=values["instructions"],
            prep_minutes=values["prep_minutes"],
            cook_minutes=values["cook_minutes"],
            servings=values["servings"],
            category_ids=tuple(sorted(int(pk) for pk in values["categories"])),
            image_alt=values["image_alt"],
            image=_file_name(values["image"]),
            image_size=(values["image_width"], values["image_height"]),
            thumbnail=_file_name(values["thumbnail"]),
            thumbnail_size=(values["thumbnail_width"], values["thumbnail_height"]),
            ingredients=tuple(lines),
        )

    @property
    def photo(self) -> StoredImage | None:
        if not self.image:
            return None
        return StoredImage(
            display_name=self.image,
            display_size=self.image_size,
            thumbnail_name=self.thumbnail,
            thumbnail_size=self.thumbnail_size,
        )

    def changed(self, other: Snapshot) -> list[str]:
        """The names of what differs from ``other``, in the recipe form's order ("photo" for
        any of the photo's files, "ingredients" for any row)."""
        changed: list[str] = []
        for field in fields(self):
            name = _CHANGE_NAMES.get(field.name, field.name)
            if getattr(self, field.name) != getattr(other, field.name) and name not in changed:
                changed.append(name)
        return changed


_CHANGE_NAMES = {
    "category_ids": "categories",
    "image_size": "photo",
    "thumbnail": "photo",
    "thumbnail_size": "photo",
    "image": "photo",
}
_CHANGE_LABELS = {
    "title": "the title",
    "description": "the description",
    "instructions": "the instructions",
    "prep_minutes": "the preparation time",
    "cook_minutes": "the cooking time",
    "servings": "the servings",
    "categories": "the categories",
    "image_alt": "the photo's description",
    "photo": "the photo",
    "ingredients": "the ingredients",
}


def describe(before: Snapshot | None, after: Snapshot) -> str:
    """A short summary of a change, such as "Changed the title and the photo"."""
    if before is None:
        return "Published"
    labels = [_CHANGE_LABELS[name] for name in after.changed(before)]
    if len(labels) > 1:
        labels[-2:] = [f"{labels[-2]} and {labels[-1]}"]
    return f"Changed {', '.join(labels)}"


def snapshot(version: RecipeVersion) -> Snapshot:
    """The recipe as ``version`` has it (one query for the stored versions)."""
    return Snapshot.of_versions(_stored(version.pk))


def snapshots(versions: Iterable[RecipeVersion]) -> dict[int, Snapshot]:
    """Several versions' snapshots by revision id, in one query."""
    stored: dict[int, list[Version]] = {version.pk: [] for version in versions}
    for row in _stored(*stored):
        stored[row.revision_id].append(row)
    return {pk: Snapshot.of_versions(rows) for pk, rows in stored.items()}


def _stored(*revision_ids: int) -> Iterable[Version]:
    query = Version.objects.filter(revision_id__in=revision_ids).select_related("content_type")
    return cast("Iterable[Version]", query)  # django-reversion publishes no types


def keep_first_version(recipe: Recipe) -> None:
    """Before ``recipe`` changes: if it has no version yet, keep it as it is in the database."""
    if recipe.pk is None or RecipeVersion.objects.filter(recipe_id=recipe.pk).exists():
        return
    saved = Recipe.objects.get(pk=recipe.pk)
    _save_version(saved, user=saved.author, comment=FIRST_VERSION_COMMENT, date=saved.updated)


def record(recipe: Recipe, *, user: User, restored_from: RecipeVersion | None = None) -> list[str]:
    """Record ``recipe``'s saved state as its newest version, unless nothing changed.

    Run in the saving transaction, after the recipe and its rows are written. Returns the photo
    files that only the versions pruned to :data:`MAX_VERSIONS` named: the caller releases them.
    """
    latest = RecipeVersion.objects.filter(recipe_id=recipe.pk).order_by("-revision_id").first()
    before = snapshot(latest) if latest else None
    after = Snapshot.of_recipe(recipe)
    if before == after:
        return []
    comment = describe(before, after)
    if restored_from is not None:
        comment = f"Restored an earlier version: {comment[0].lower()}{comment[1:]}"
    saved = Recipe.objects.get(pk=recipe.pk)  # no stale prefetched rows for reversion to follow
    _save_version(saved, user=user, comment=comment, restored_from=restored_from)
    return _prune(recipe)


def check_photo_is_kept(recipe: Recipe, photo: StoredImage) -> None:
    """Refuse to put back a photo that no kept version of ``recipe`` names any more."""
    kept = RecipeVersion.objects.filter(
        recipe_id=recipe.pk, image=photo.display_name, thumbnail=photo.thumbnail_name
    )
    if not kept.exists():
        raise ValidationError(PHOTO_GONE_MESSAGE, code="photo_gone")
    # Recorded as unused by a concurrent prune: it is the recipe's again.
    UnusedPhotoFile.objects.filter(name__in=photo.names).delete()


def kept_files(recipe: Recipe) -> list[str]:
    """The photo files that ``recipe``'s versions name."""
    names: set[str] = set()
    for files in RecipeVersion.objects.filter(recipe_id=recipe.pk).values_list(
        "image", "thumbnail"
    ):
        names.update(name for name in files if name)
    return sorted(names)


def release_deleted_recipe_versions(sender: type[Recipe], instance: Recipe, **kwargs: Any) -> None:
    """``pre_delete`` receiver: a deleted recipe's versions go, and so do their photo files.

    A signal, like ``cleanup.release_deleted_recipe_files``, because the cascade of deleting a
    user calls no service; before the deletion, while the versions still say which files they
    name. The recipe's current files are released by that ``post_delete`` receiver.
    """
    names = kept_files(instance)
    Revision.objects.filter(recipe_version__recipe_id=instance.pk).delete()
    UnusedPhotoFile.objects.release(sorted(set(names) - set(instance.image_files)))


def _save_version(
    recipe: Recipe,
    *,
    user: User,
    comment: str,
    date: datetime | None = None,
    restored_from: RecipeVersion | None = None,
) -> None:
    with reversion.create_revision(manage_manually=True):
        reversion.set_user(user)
        reversion.set_comment(comment)
        if date is not None:
            reversion.set_date_created(date)
        reversion.add_to_revision(recipe)  # and its ingredient rows (follow)
        reversion.add_meta(
            RecipeVersion,
            recipe=recipe,
            image=recipe.image.name or "",
            thumbnail=recipe.thumbnail.name or "",
            restored_from=restored_from,
        )


def _prune(recipe: Recipe) -> list[str]:
    """Delete the versions beyond :data:`MAX_VERSIONS`; the files no one names any more."""
    old = list(
        RecipeVersion.objects.filter(recipe_id=recipe.pk)
        .order_by("-revision_id")
        .values_list("revision_id", "image", "thumbnail")[MAX_VERSIONS:]
    )
    if not old:
        return []
    Revision.objects.filter(pk__in=[revision for revision, _, _ in old]).delete()
    names = {name for _, *files in old for name in files if name}
    return sorted(names - cleanup.in_use(names))


def _fraction(numerator: int | None, denominator: int | None) -> Fraction | None:
    return None if numerator is None or denominator is None else Fraction(numerator, denominator)


def _file_name(value: object) -> str:
    """A file field's stored name, whether reversion gives a ``FieldFile`` or a string."""
    name = getattr(value, "name", value)
    return str(name or "")
