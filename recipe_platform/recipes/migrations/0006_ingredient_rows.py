"""Ingredient rows (step 2 of 3): every line of every recipe's old text becomes a row.

Every non-blank line is kept. A line the parser reads becomes quantity, unit, item and note; one
it cannot read (or whose parts do not fit the columns) becomes an item-only row holding the
line; a line longer than an item holds (200 characters) is split over as many item-only rows as
it takes, so not a character is lost. Undoing writes each recipe's rows back as lines, quantities exact (``line_text``).

The parser (``recipes.ingredients``) is imported rather than copied: it is a pure function with
its own tests, and whatever it becomes, it keeps every line.
"""

from django.db import migrations

from recipes.ingredients import ITEM_MAX_LENGTH, ParsedIngredient, line_text, parse_line

BATCH = 500


def _rows_for(line: str) -> list[ParsedIngredient]:
    parsed = parse_line(line)
    if parsed is None:
        return []
    if len(parsed.item) <= ITEM_MAX_LENGTH:
        return [parsed]
    text = parsed.item
    return [
        ParsedIngredient(None, None, "", text[start : start + ITEM_MAX_LENGTH].strip(), "")
        for start in range(0, len(text), ITEM_MAX_LENGTH)
        if text[start : start + ITEM_MAX_LENGTH].strip()
    ]


def lines_to_rows(apps, schema_editor):
    Recipe = apps.get_model("recipes", "Recipe")
    Ingredient = apps.get_model("recipes", "Ingredient")
    built = []
    for recipe_id, text in Recipe.objects.values_list("pk", "ingredients_text").iterator():
        rows = [row for line in text.splitlines() for row in _rows_for(line)]
        for position, row in enumerate(rows, start=1):
            built.append(
                Ingredient(
                    recipe_id=recipe_id,
                    position=position,
                    quantity_numerator=row.quantity.numerator if row.quantity else None,
                    quantity_denominator=row.quantity.denominator if row.quantity else None,
                    quantity_max_numerator=row.quantity_max.numerator if row.quantity_max else None,
                    quantity_max_denominator=row.quantity_max.denominator if row.quantity_max else None,
                    unit=row.unit,
                    item=row.item,
                    note=row.note,
                )
            )
        if len(built) >= BATCH:
            Ingredient.objects.bulk_create(built)
            built = []
    Ingredient.objects.bulk_create(built)


def rows_to_lines(apps, schema_editor):
    from fractions import Fraction

    Recipe = apps.get_model("recipes", "Recipe")
    Ingredient = apps.get_model("recipes", "Ingredient")
    lines: dict[int, list[str]] = {}
    for row in Ingredient.objects.order_by("recipe_id", "position").iterator():
        quantity = (
            Fraction(row.quantity_numerator, row.quantity_denominator)
            if row.quantity_numerator is not None
            else None
        )
        quantity_max = (
            Fraction(row.quantity_max_numerator, row.quantity_max_denominator)
            if row.quantity_max_numerator is not None
            else None
        )
        line = line_text(quantity, quantity_max, row.unit, row.item, row.note)
        lines.setdefault(row.recipe_id, []).append(line)
    for recipe_id, recipe_lines in lines.items():
        Recipe.objects.filter(pk=recipe_id).update(ingredients_text="\n".join(recipe_lines))
    # Back to step 1: the text is the ingredients again, so that doing it anew finds no rows.
    Ingredient.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("recipes", "0005_ingredient"),
    ]

    operations = [
        migrations.RunPython(lines_to_rows, rows_to_lines),
    ]
