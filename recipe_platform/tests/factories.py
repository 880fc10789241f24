"""Factories for the recipe domain; users come from shared.factories."""

from __future__ import annotations

import factory
from shared.factories import UserFactory
from shared.images import make_uploaded_image

from recipes import images
from recipes.models import Category, Recipe


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class RecipeFactory(factory.django.DjangoModelFactory):
    """A recipe without a photo; ``RecipeFactory(photo=True)`` stores one through the pipeline."""

    class Meta:
        model = Recipe
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Recipe {n}")
    slug = factory.Sequence(lambda n: f"recipe-{n}")
    author = factory.SubFactory(UserFactory)
    description = "A dish worth sharing."
    ingredients = "200 g flour\n2 eggs\n300 ml milk"
    instructions = "Whisk everything.\nRest for 30 minutes.\nCook in a hot pan."
    prep_minutes = 10
    cook_minutes = 20
    servings = 4

    @factory.post_generation
    def categories(self, create: bool, extracted: list[Category] | None, **kwargs: object) -> None:
        if create and extracted:
            self.categories.set(extracted)

    @factory.post_generation
    def photo(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create and extracted:
            stored = images.store(images.process_upload(make_uploaded_image(size=(800, 600))))
            self.set_image(stored, alt=f"A photo of {self.title}")
            self.save()
