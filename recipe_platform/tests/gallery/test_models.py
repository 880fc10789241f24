"""The database's own guard of a gallery: at most seven rows besides the cover, one per place,
each complete and described, whatever the code above it does."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from gallery.models import RecipePhoto
from tests.factories import RecipeFactory

pytestmark = pytest.mark.django_db


def _row(recipe, position: int, **overrides: object) -> RecipePhoto:
    fields: dict[str, object] = {
        "recipe": recipe,
        "position": position,
        "image": f"recipes/p{position}.webp",
        "image_width": 40,
        "image_height": 30,
        "thumbnail": f"recipes/p{position}-thumb.webp",
        "thumbnail_width": 40,
        "thumbnail_height": 30,
        "alt": "A photo",
    }
    fields.update(overrides)
    return RecipePhoto(**fields)


def test_the_database_takes_seven_photos_at_places_0_to_6(recipe):
    RecipePhoto.objects.bulk_create(_row(recipe, position) for position in range(7))

    assert RecipePhoto.objects.filter(recipe=recipe).count() == 7


@pytest.mark.parametrize("position", [7, 8, 32_000])
def test_the_database_refuses_a_photo_past_the_seventh_place(recipe, position):
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(recipe, position).save()


def test_the_database_refuses_two_photos_at_one_place(recipe):
    _row(recipe, 0).save()

    with pytest.raises(IntegrityError), transaction.atomic():
        _row(recipe, 0, image="recipes/other.webp", thumbnail="recipes/other-t.webp").save()


@pytest.mark.parametrize(
    "overrides",
    [{"alt": ""}, {"thumbnail": ""}, {"image": ""}, {"image_width": 0}, {"thumbnail_height": 0}],
    ids=["no-description", "no-thumbnail", "no-display-size", "no-width", "no-height"],
)
def test_the_database_refuses_an_incomplete_or_undescribed_photo(recipe, overrides):
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(recipe, 0, **overrides).save()


def test_another_recipe_has_places_of_its_own(recipe, other_user):
    other = RecipeFactory.create(author=other_user)
    _row(recipe, 0).save()

    _row(other, 0, image="recipes/o.webp", thumbnail="recipes/o-t.webp").save()

    assert RecipePhoto.objects.filter(position=0).count() == 2


def test_a_recipes_photos_go_with_it(recipe):
    _row(recipe, 0).save()

    recipe.delete()

    assert not RecipePhoto.objects.exists()
