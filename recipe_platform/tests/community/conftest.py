from __future__ import annotations

import uuid

import pytest
from shared.bulk import Numbered, insert_rows

from accounts.models import User
from recipes.models import Recipe


@pytest.fixture
def recipe(user) -> Recipe:
    """A recipe by ``user`` (the "author" of the permission matrices)."""
    return make_recipe(author=user, title="Lentil soup", slug="lentil-soup")


@pytest.fixture
def cooks(db) -> list[User]:
    return [make_user() for _ in range(5)]


def make_user(username: str = "") -> User:
    """A cook (typed as this project's ``User``, which shared's factory cannot say)."""
    username = username or f"cook-{User.objects.count() + 1}-{uuid.uuid4().hex[:6]}"
    return User.objects.create_user(username=username, email=f"{username}@example.com")


def make_recipe(**fields: object) -> Recipe:
    """A recipe with only the fields every version of the model has (no photo, no
    ingredients: neither matters to ratings, comments or favourites)."""
    defaults: dict[str, object] = {
        "instructions": "Cook.",
        "prep_minutes": 5,
        "cook_minutes": 10,
        "servings": 2,
    }
    if "author" not in fields:
        defaults["author"] = make_user()
    if "slug" not in fields:
        defaults["slug"] = Recipe.objects.free_slug(str(fields.get("title", "recipe")))
    return Recipe.objects.create(**{**defaults, **fields})


def bulk_recipes(count: int) -> list[Recipe]:
    """``count`` recipes by one new cook, oldest first, written in one batch (the 10,000-row
    query-count tests); they share one ``created`` moment, so the newest is the highest id."""
    author = make_user()
    insert_rows(
        Recipe,
        count,
        title=Numbered("Bulk {n}"),
        slug=Numbered("bulk-{n}"),
        author=author,
        instructions="Cook.",
        prep_minutes=5,
        cook_minutes=5,
        servings=2,
    )
    return list(Recipe.objects.filter(author=author).order_by("pk"))
