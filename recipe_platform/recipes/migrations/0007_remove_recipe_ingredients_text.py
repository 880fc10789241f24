"""Ingredient rows (step 3 of 3): the old text field goes; the rows are the ingredients."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("recipes", "0006_ingredient_rows"),
    ]

    operations = [
        migrations.RemoveField(model_name="recipe", name="ingredients_text"),
    ]
