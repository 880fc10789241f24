"""Factories for the recipe domain; users come from shared.factories."""

from __future__ import annotations

import factory
from shared.factories import UserFactory
from shared.images import make_uploaded_image

from recipes import images, services
from recipes.ingredients import parse_lines
from recipes.models import Category, Recipe, UnusedPhotoFile


class CategoryFactory(factory.django.DjangoModelFactory[Category]):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


def _set_categories(
    recipe: Recipe, create: bool, extracted: list[Category] | None, **kwargs: object
) -> None:
    if create and extracted:
        recipe.categories.set(extracted)


def _add_ingredients(recipe: Recipe, create: bool, extracted: str | None, **kwargs: object) -> None:
    """``RecipeFactory(ingredients="2 eggs\n1 ½ cups milk")``: rows read from the lines, as the
    form's pasted list is; three rows by default, none with ``ingredients=""``."""
    if create:
        text = "200 g flour\n2 eggs\n300 ml milk" if extracted is None else extracted
        services.replace_ingredients(recipe, parse_lines(text))


def _attach_photo(recipe: Recipe, create: bool, extracted: bool | None, **kwargs: object) -> None:
    if create and extracted:
        stored = images.store(images.process_upload(make_uploaded_image(size=(800, 600))))
        recipe.set_image(stored, alt=f"A photo of {recipe.title}")
        recipe.save()
        UnusedPhotoFile.objects.claim(stored.names)  # taken by the recipe, as services do


class RecipeFactory(factory.django.DjangoModelFactory[Recipe]):
    """A recipe without a photo; ``RecipeFactory(photo=True)`` stores one through the pipeline."""

    class Meta:
        model = Recipe
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Recipe {n}")
    slug = factory.Sequence(lambda n: f"recipe-{n}")
    author = factory.SubFactory(UserFactory)
    description = "A dish worth sharing."
    instructions = "Whisk everything.\nRest for 30 minutes.\nCook in a hot pan."
    prep_minutes = 10
    cook_minutes = 20
    servings = 4

    categories = factory.PostGeneration(_set_categories)
    ingredients = factory.PostGeneration(_add_ingredients)
    photo = factory.PostGeneration(_attach_photo)
