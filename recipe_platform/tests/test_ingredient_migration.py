"""The data migration that turned each recipe's ingredient text into rows keeps every line,
and undoing it writes the rows back as lines."""

from fractions import Fraction as F

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# Migrating needs real transactions; the serialized rollback puts back what the migrations
# created (and keeps the flush from re-creating content types under new keys, which the
# browser tests' restore at the end of the session would collide with).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("recipes", "0005_ingredient")]
AFTER = [("recipes", "0007_remove_recipe_ingredients_text")]

TEXT = "\n".join(
    [
        "1 ½ cups flour",
        "",
        "2-3 eggs, beaten",
        "Juice of 1 lemon",
        "salt to taste",
        "0 g nothing",
        "y" * 450,
    ]
)


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.fixture
def old_recipe(user):
    apps = migrate(BEFORE)
    Recipe = apps.get_model("recipes", "Recipe")
    recipe = Recipe.objects.create(
        author_id=user.pk,
        title="Old",
        slug="old",
        ingredients_text=TEXT,
        instructions="Cook.",
        prep_minutes=1,
        cook_minutes=1,
        servings=2,
    )
    yield recipe.pk
    migrate(migrate_to_latest())


def migrate_to_latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def test_every_line_becomes_a_row_and_unreadable_lines_are_kept_whole(old_recipe):
    apps = migrate(AFTER)
    Ingredient = apps.get_model("recipes", "Ingredient")

    rows = [
        (
            F(row.quantity_numerator, row.quantity_denominator) if row.quantity_numerator else None,
            F(row.quantity_max_numerator, row.quantity_max_denominator)
            if row.quantity_max_numerator
            else None,
            row.unit,
            row.item,
            row.note,
        )
        for row in Ingredient.objects.filter(recipe_id=old_recipe).order_by("position")
    ]

    assert rows == [
        (F(3, 2), None, "cup", "flour", ""),
        (F(2), F(3), "", "eggs", "beaten"),
        (None, None, "", "Juice of 1 lemon", ""),
        (None, None, "", "salt", "to taste"),
        (None, None, "", "0 g nothing", ""),
        # A line longer than an item holds is split over item-only rows, not cut.
        (None, None, "", "y" * 200, ""),
        (None, None, "", "y" * 200, ""),
        (None, None, "", "y" * 50, ""),
    ]


def test_undoing_writes_the_rows_back_as_lines(old_recipe):
    migrate(AFTER)

    apps = migrate(BEFORE)

    text = apps.get_model("recipes", "Recipe").objects.get(pk=old_recipe).ingredients_text
    assert text.splitlines() == [
        "1 ½ cup flour",
        "2-3 eggs, beaten",
        "Juice of 1 lemon",
        "salt, to taste",
        "0 g nothing",
        "y" * 200,
        "y" * 200,
        "y" * 50,
    ]
    assert not apps.get_model("recipes", "Ingredient").objects.exists()
