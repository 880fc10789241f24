"""What the demo data shows; that it loads, logs every account in and loads again unchanged is
the shared contract's (tests/test_contract.py, ``TestDemoData``)."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_demo_data_has_about_twenty_recipes_in_every_category():
    from recipes.models import Category, Recipe

    call_command("load_demo_data")

    assert Recipe.objects.count() >= 20
    for category in Category.objects.all():
        assert category.recipes.exists(), f"no demo recipe in {category}"


def test_every_demo_recipe_has_a_processed_photo_with_alt_text(media_files):
    from recipes import cleanup
    from recipes.models import Recipe

    call_command("load_demo_data")

    recipes = list(Recipe.objects.all())
    assert all(recipe.has_image and recipe.image_alt for recipe in recipes)
    stored = media_files()
    assert {name for recipe in recipes for name in recipe.image_files} <= set(stored)
    # Every other stored file is named too: an older version's photo, a gallery's photo.
    assert cleanup.in_use(stored) == set(stored)
    assert all(name.endswith(".webp") for name in stored)


def test_the_demo_cook_and_the_admin_both_have_recipes():
    from recipes.models import Recipe

    call_command("load_demo_data")

    assert Recipe.objects.filter(author__username="cook").exists()
    assert Recipe.objects.filter(author__username="admin").exists()


def test_loading_demo_data_twice_stores_no_more_photos(media_files):
    call_command("load_demo_data")
    first = media_files()

    call_command("load_demo_data")

    assert media_files() == first


def test_demo_recipes_have_ingredient_rows_and_the_cook_a_shopping_list():
    from fractions import Fraction

    from recipes.models import Ingredient, Recipe
    from shopping.models import ShoppingItem

    call_command("load_demo_data")

    assert not Recipe.objects.filter(ingredients__isnull=True).exists()
    assert Ingredient.objects.exclude(unit="").exists()
    flour = ShoppingItem.objects.get(owner__username="cook", key="flour", unit="g")
    assert (flour.quantity, flour.ticked) == (Fraction(375), True)  # the pancakes, for six
    eggs = ShoppingItem.objects.get(owner__username="cook", key="egg")
    assert eggs.quantity is not None
    assert eggs.quantity > 3  # three for the pancakes, plus the shakshuka's
