"""The demo data shows a recipe with an edit history, its old photo still stored."""

import pytest
from django.core.management import call_command

from recipes.models import Recipe, RecipeVersion

pytestmark = pytest.mark.django_db


def test_the_demo_shakshuka_has_three_versions_one_of_them_a_new_photo(media_files):
    call_command("load_demo_data")
    call_command("load_demo_data")  # nothing added twice

    recipe = Recipe.objects.get(title="Shakshuka")
    versions = list(RecipeVersion.objects.filter(recipe=recipe).order_by("revision_id"))
    assert [version.revision.comment for version in versions] == [
        "Published",
        "Changed the description and the ingredients",
        "Changed the photo and the photo's description",
    ]
    assert versions[0].image != versions[-1].image == recipe.image.name
    assert {versions[0].image, versions[0].thumbnail} <= set(media_files())
