"""Ingredient rows (step 1 of 3): the model, beside the old one-line-each text.

The old text field is renamed out of the way (``ingredients_text``, with an empty default so that
undoing step 3 can add it back), because ``Recipe.ingredients`` is now the rows' reverse relation.
"""

import django.db.models.deletion
import django.db.models.expressions
import django.db.models.functions.comparison
import django.db.models.lookups
from django.db import migrations, models

import recipes.validators


class Migration(migrations.Migration):
    dependencies = [
        ("recipes", "0004_unused_photo_files"),
    ]

    operations = [
        migrations.RenameField(model_name="recipe", old_name="ingredients", new_name="ingredients_text"),
        migrations.AlterField(
            model_name="recipe",
            name="ingredients_text",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.CreateModel(
            name="Ingredient",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("position", models.PositiveSmallIntegerField()),
                ("quantity_numerator", models.PositiveIntegerField(blank=True, null=True)),
                ("quantity_denominator", models.PositiveIntegerField(blank=True, null=True)),
                ("quantity_max_numerator", models.PositiveIntegerField(blank=True, null=True)),
                ("quantity_max_denominator", models.PositiveIntegerField(blank=True, null=True)),
                (
                    "unit",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "(none)"), ("g", "g"), ("kg", "kg"), ("ml", "ml"), ("l", "l"),
                            ("tsp", "tsp"), ("tbsp", "tbsp"), ("cup", "cup"), ("fl_oz", "fl oz"),
                            ("oz", "oz"), ("lb", "lb"), ("pinch", "pinch"), ("dash", "dash"),
                            ("clove", "clove"), ("can", "can"), ("slice", "slice"),
                            ("bunch", "bunch"), ("sprig", "sprig"), ("handful", "handful"),
                        ],
                        max_length=8,
                    ),
                ),
                ("item", models.CharField(max_length=200, validators=[recipes.validators.validate_single_line])),
                (
                    "note",
                    models.CharField(blank=True, max_length=200, validators=[recipes.validators.validate_single_line]),
                ),
                (
                    "recipe",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ingredients",
                        to="recipes.recipe",
                    ),
                ),
            ],
            options={
                "ordering": ["recipe", "position"],
                "constraints": [
                    models.UniqueConstraint(fields=("recipe", "position"), name="ingredient_position_unique"),
                    models.CheckConstraint(condition=models.Q(("item", ""), _negated=True), name="ingredient_has_item"),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("quantity_denominator__isnull", True), ("quantity_numerator__isnull", True)),
                            models.Q(
                                ("quantity_denominator__gt", 0),
                                ("quantity_denominator__isnull", False),
                                ("quantity_numerator__gt", 0),
                                ("quantity_numerator__isnull", False),
                            ),
                            _connector="OR",
                        ),
                        name="ingredient_quantity_is_positive_fraction",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("quantity_max_denominator__isnull", True), ("quantity_max_numerator__isnull", True)
                            ),
                            models.Q(
                                django.db.models.lookups.GreaterThan(
                                    django.db.models.expressions.CombinedExpression(
                                        django.db.models.functions.comparison.Cast(
                                            "quantity_max_numerator", models.BigIntegerField()
                                        ),
                                        "*",
                                        django.db.models.functions.comparison.Cast(
                                            "quantity_denominator", models.BigIntegerField()
                                        ),
                                    ),
                                    django.db.models.expressions.CombinedExpression(
                                        django.db.models.functions.comparison.Cast(
                                            "quantity_numerator", models.BigIntegerField()
                                        ),
                                        "*",
                                        django.db.models.functions.comparison.Cast(
                                            "quantity_max_denominator", models.BigIntegerField()
                                        ),
                                    ),
                                ),
                                ("quantity_denominator__isnull", False),
                                ("quantity_max_denominator__gt", 0),
                                ("quantity_max_denominator__isnull", False),
                                ("quantity_max_numerator__isnull", False),
                                ("quantity_numerator__isnull", False),
                            ),
                            _connector="OR",
                        ),
                        name="ingredient_range_is_increasing",
                    ),
                ],
            },
        ),
    ]
