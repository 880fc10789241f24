"""Restoring a version: fields, rows, categories and photo back, recorded as a new version."""

import pytest
from django.core.exceptions import ValidationError

from recipes import history
from recipes.models import Category, RecipeVersion
from versions.services import restore_version

pytestmark = pytest.mark.django_db


def _oldest(recipe):
    return RecipeVersion.objects.filter(recipe=recipe).order_by("revision_id").first()


def test_restoring_brings_back_the_fields_the_rows_and_the_old_photo(
    publish, edit, user, media_files, django_capture_on_commit_callbacks
):
    recipe = publish()
    first_photo = recipe.image_files
    with django_capture_on_commit_callbacks(execute=True):
        edit(recipe, title="Changed", servings=8, ingredients="1 kg rice", photo=True)

    with django_capture_on_commit_callbacks(execute=True):
        restored = restore_version(recipe=recipe, version=_oldest(recipe), user=user)

    assert restored.changed
    recipe.refresh_from_db()
    assert (recipe.title, recipe.servings) == ("Sunday pancakes", 4)
    assert [str(row) for row in recipe.ingredients.all()] == [
        "250 g flour",
        "2 eggs",
        "400 ml milk",
    ]
    assert recipe.image_files == first_photo
    assert set(first_photo) <= set(media_files())  # the file is really there
    assert recipe.image_alt == "A stack of pancakes"


def test_restoring_is_itself_a_new_version(publish, edit, user):
    recipe = publish()
    edit(recipe, title="Changed")
    oldest = _oldest(recipe)

    restore_version(recipe=recipe, version=oldest, user=user)

    versions = list(RecipeVersion.objects.filter(recipe=recipe).order_by("revision_id"))
    assert len(versions) == 3
    newest = versions[-1]
    assert newest.restored_from == oldest
    assert newest.revision.comment == "Restored an earlier version: changed the title"
    assert history.snapshot(newest) == history.snapshot(oldest)


def test_restoring_the_recipe_as_it_is_changes_nothing(publish, user):
    recipe = publish()

    restored = restore_version(recipe=recipe, version=_oldest(recipe), user=user)

    assert not restored.changed
    assert RecipeVersion.objects.filter(recipe=recipe).count() == 1


def test_a_category_deleted_since_is_left_out_and_counted(publish, edit, user):
    recipe = publish()
    breakfast = Category.objects.get(slug="breakfast")
    edit(recipe, categories=[Category.objects.get(slug="dessert")])
    breakfast.delete()

    restored = restore_version(recipe=recipe, version=_oldest(recipe), user=user)

    assert restored.missing_categories == 1
    assert list(recipe.categories.all()) == []


def test_a_photo_no_version_names_any_more_is_refused_and_nothing_changes(publish, edit, user):
    recipe = publish()
    edit(recipe, title="Changed", photo=True)
    oldest = _oldest(recipe)
    RecipeVersion.objects.filter(pk=oldest.pk).update(image="recipes/gone.webp")

    with pytest.raises(ValidationError) as raised:
        restore_version(recipe=recipe, version=oldest, user=user)

    assert raised.value.code == "photo_gone"
    recipe.refresh_from_db()
    assert recipe.title == "Changed"
