"""The demo data shows galleries: a few recipes with several photos, loaded once."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from gallery.models import RecipePhoto
from recipes.models import Recipe

pytestmark = pytest.mark.django_db


def test_the_demo_has_recipes_with_several_photos_and_loads_them_once(media_files):
    call_command("load_demo_data", stdout=None)
    call_command("load_demo_data", stdout=None)

    pancakes = Recipe.objects.get(title="Fluffy buttermilk pancakes")
    assert list(RecipePhoto.objects.filter(recipe=pancakes).values_list("position", flat=True)) == [
        0,
        1,
        2,
        3,
    ]
    assert RecipePhoto.objects.values("recipe").distinct().count() == 3
    assert RecipePhoto.objects.count() == 9
    stored = set(media_files())
    assert all(set(photo.files.names) <= stored for photo in RecipePhoto.objects.all())
