"""Which writes record a version, what a version holds, and how many are kept."""

import pytest
from reversion.models import Revision, Version

from recipes import history, services
from recipes.models import Category, Recipe, RecipeVersion
from tests.factories import RecipeFactory

pytestmark = pytest.mark.django_db


def _versions(recipe):
    return list(RecipeVersion.objects.filter(recipe=recipe).order_by("revision_id"))


def test_publishing_records_the_first_version(publish, user):
    recipe = publish()

    (version,) = _versions(recipe)
    assert version.revision.user == user
    assert version.revision.comment == "Published"
    assert [version.image, version.thumbnail] == recipe.image_files


def test_an_edit_records_exactly_one_version_with_the_fields_and_the_rows(publish, edit):
    recipe = publish()

    edit(recipe, title="Saturday pancakes", ingredients="300 g flour\n2 eggs")

    first, second = _versions(recipe)
    assert second.revision.comment == "Changed the title and the ingredients"
    before, after = history.snapshot(first), history.snapshot(second)
    assert (before.title, after.title) == ("Sunday pancakes", "Saturday pancakes")
    assert [str(line) for line in before.ingredients] == ["250 g flour", "2 eggs", "400 ml milk"]
    assert [str(line) for line in after.ingredients] == ["300 g flour", "2 eggs"]
    # One revision: the recipe and its two rows, nothing else.
    assert Version.objects.filter(revision=second.revision).count() == 3


def test_a_save_that_changes_nothing_records_no_version(publish, edit):
    recipe = publish()

    edit(recipe)
    edit(recipe, ingredients="250 g flour\n2 eggs\n400 ml milk")  # the same rows, new ids

    assert len(_versions(recipe)) == 1


def test_a_recipe_from_before_the_history_keeps_its_old_state_at_its_first_edit(edit):
    recipe = RecipeFactory.create(title="Old title", photo=True)
    assert not RecipeVersion.objects.exists()

    edit(recipe, title="New title")

    first, second = _versions(recipe)
    assert first.revision.comment == history.FIRST_VERSION_COMMENT
    assert first.revision.user == recipe.author
    assert first.revision.date_created == recipe.updated
    assert history.snapshot(first).title == "Old title"
    assert history.snapshot(second).title == "New title"


def test_a_recipe_keeps_its_fifty_newest_versions(publish, edit):
    recipe = publish()
    for number in range(1, 51):
        edit(recipe, servings=number % 7 + 1, title=f"Pancakes {number}")

    versions = _versions(recipe)
    assert len(versions) == 50
    assert history.snapshot(versions[0]).title == "Pancakes 1"  # "Published" went first
    assert Revision.objects.count() == 50
    assert Version.objects.filter(revision__recipe_version__isnull=True).count() == 0


def test_deleting_a_recipe_deletes_its_versions(publish, edit):
    recipe = publish()
    edit(recipe, title="Changed")

    services.delete_recipe(recipe=recipe)

    assert not Revision.objects.exists()
    assert not Version.objects.exists()


def test_deleting_the_author_deletes_the_versions_of_their_recipes(publish, edit, user):
    recipe = publish()
    edit(recipe, title="Changed")

    user.delete()

    assert not Recipe.objects.exists()
    assert not Revision.objects.exists()


def test_a_changed_category_is_a_change(publish, edit):
    recipe = publish()

    edit(recipe, categories=list(Category.objects.filter(slug__in=["dessert", "vegan"])))

    assert _versions(recipe)[-1].revision.comment == "Changed the categories"


def test_a_changed_cover_from_the_gallery_is_a_version(publish):
    from recipes import images
    from tests.versions.conftest import new_photo

    recipe = publish()
    stored = images.store(new_photo())

    services.change_cover(recipe=recipe, image=stored, image_alt="Another angle")

    last = _versions(recipe)[-1]
    assert last.revision.comment == "Changed the photo and the photo's description"
    assert [last.image, last.thumbnail] == stored.names
