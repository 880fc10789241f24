"""The categories every fresh database starts with; admins add more in the admin."""

from django.db import migrations

DEFAULT_CATEGORIES = [
    ("Vegetarian", "vegetarian"),
    ("Vegan", "vegan"),
    ("Dessert", "dessert"),
    ("Breakfast", "breakfast"),
    ("Main course", "main-course"),
    ("Soup", "soup"),
    ("Salad", "salad"),
]


def create_categories(apps, schema_editor):
    Category = apps.get_model("recipes", "Category")
    for name, slug in DEFAULT_CATEGORIES:
        Category.objects.get_or_create(slug=slug, defaults={"name": name})


def delete_unused_categories(apps, schema_editor):
    Category = apps.get_model("recipes", "Category")
    slugs = [slug for _name, slug in DEFAULT_CATEGORIES]
    Category.objects.filter(slug__in=slugs, recipes__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("recipes", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_categories, delete_unused_categories),
    ]
