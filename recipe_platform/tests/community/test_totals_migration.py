"""The migration that moved each recipe's totals from ``RecipeStats`` onto the recipe keeps
them, and undoing it writes them back."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# As in tests/test_ingredient_migration.py: real transactions, and the serialized rollback puts
# back what the migrations created.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("community", "0002_comment_body_length"), ("recipes", "0009_recipe_community_totals")]
AFTER = [("community", "0003_totals_on_the_recipe")]


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.fixture
def rated_and_unrated(user):
    apps = migrate(BEFORE)
    Recipe = apps.get_model("recipes", "Recipe")
    RecipeStats = apps.get_model("community", "RecipeStats")
    recipes = [
        Recipe.objects.create(
            author_id=user.pk,
            title=title,
            slug=title,
            instructions="Cook.",
            prep_minutes=1,
            cook_minutes=1,
            servings=2,
        )
        for title in ("rated", "unrated")
    ]
    RecipeStats.objects.create(
        recipe=recipes[0],
        rating_count=3,
        rating_total=13,
        average=Decimal("4.33"),
        comment_count=2,
    )
    yield [recipe.pk for recipe in recipes]
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())


def test_the_totals_move_onto_the_recipes(rated_and_unrated):
    apps = migrate(AFTER)

    totals = (
        apps.get_model("recipes", "Recipe")
        .objects.order_by("title")
        .values_list("title", "rating_count", "rating_total", "rating_average", "comment_count")
    )
    assert list(totals) == [("rated", 3, 13, Decimal("4.33"), 2), ("unrated", 0, 0, 0, 0)]


def test_undoing_writes_the_totals_back(rated_and_unrated):
    migrate(AFTER)

    apps = migrate(BEFORE)

    stats = apps.get_model("community", "RecipeStats").objects.values_list(
        "recipe_id", "rating_count", "rating_total", "average", "comment_count"
    )
    assert list(stats) == [(rated_and_unrated[0], 3, 13, Decimal("4.33"), 2)]
