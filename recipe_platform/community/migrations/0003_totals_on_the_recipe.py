"""Move each recipe's totals from ``RecipeStats`` onto the recipe's own row, then drop the table.

"Best rated" must order every recipe (unrated ones last, newest first), which an index can
serve only when the totals and ``created`` live in one table (``recipe_best_rated_idx``).
"""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def copy_to_recipes(apps, schema_editor):
    recipes = apps.get_model("recipes", "Recipe")
    stats = apps.get_model("community", "RecipeStats").objects.filter(recipe=OuterRef("pk"))
    recipes.objects.filter(stats__isnull=False).update(
        rating_count=Subquery(stats.values("rating_count")),
        rating_total=Subquery(stats.values("rating_total")),
        rating_average=Subquery(stats.values("average")),
        comment_count=Subquery(stats.values("comment_count")),
    )


def copy_back(apps, schema_editor):
    recipes = apps.get_model("recipes", "Recipe")
    stats = apps.get_model("community", "RecipeStats")
    rows = recipes.objects.exclude(rating_count=0, comment_count=0).values(
        "pk", "rating_count", "rating_total", "rating_average", "comment_count"
    )
    stats.objects.bulk_create(
        stats(
            recipe_id=row["pk"],
            rating_count=row["rating_count"],
            rating_total=row["rating_total"],
            average=row["rating_average"],
            comment_count=row["comment_count"],
        )
        for row in rows.iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0002_comment_body_length"),
        ("recipes", "0009_recipe_community_totals"),
    ]

    operations = [
        migrations.RunPython(copy_to_recipes, copy_back),
        migrations.DeleteModel(name="RecipeStats"),
    ]
