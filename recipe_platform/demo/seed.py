"""Demo data for a local run: every function is idempotent, so a second load creates nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import User
from demo.artwork import draw_dish
from demo.catalogue import DEMO_RECIPES, DemoRecipe
from recipes import images, services
from recipes.ingredients import parse_lines
from recipes.models import Category, Recipe
from shopping import services as shopping
from shopping.models import ShoppingItem

DEMO_PASSWORD = "demo-password"  # noqa: S105 - documented in the README, local demo data only


@dataclass(frozen=True)
class DemoAccount:
    username: str
    is_staff: bool = False
    is_superuser: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("admin", is_staff=True, is_superuser=True),
    DemoAccount("cook"),
)


def seed_account(account: DemoAccount) -> User:
    """Create the account if it is missing; an existing one keeps its data and password."""
    user, created = User.objects.get_or_create(
        username=account.username,
        defaults={
            "email": f"{account.username}@example.com",
            "is_staff": account.is_staff,
            "is_superuser": account.is_superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def seed_accounts() -> dict[str, User]:
    return {account.username: seed_account(account) for account in DEMO_ACCOUNTS}


def seed_recipes(authors: dict[str, User]) -> list[Recipe]:
    """Create the demo recipes that are missing, each with a generated photo.

    The photo goes through the same pipeline as an upload (``recipes.images``), so the demo shows
    exactly what users get. A recipe is matched by author and title; an existing one is left
    alone, edits included.
    """
    categories = {category.slug: category for category in Category.objects.all()}
    created = []
    now = timezone.now()
    for age, spec in enumerate(DEMO_RECIPES):
        author = authors[spec.author]
        if Recipe.objects.filter(author=author, title=spec.title).exists():
            continue
        recipe = services.save_recipe(
            recipe=Recipe(
                author=author,
                title=spec.title,
                description=spec.description,
                instructions="\n".join(spec.steps),
                prep_minutes=spec.prep,
                cook_minutes=spec.cook,
                servings=spec.servings,
            ),
            categories=[categories[slug] for slug in spec.categories],
            image=_demo_photo(spec),
            image_alt=spec.alt,
            ingredients=parse_lines("\n".join(spec.ingredients)),
        )
        # Spread the recipes over the past weeks, newest first as listed.
        Recipe.objects.filter(pk=recipe.pk).update(created=now - timedelta(days=age, hours=age))
        created.append(recipe)
    return created


@cache
def _demo_photo(spec: DemoRecipe) -> images.ProcessedImage:
    """The recipe's generated photo, through the upload pipeline like any user's photo.

    Drawing and encoding are deterministic, so each photo is made once per process: the test
    suite loads the demo data many times.
    """
    picture = draw_dish(spec.title, spec.dish, list(spec.colours))
    return images.process_upload(ContentFile(picture, name="demo.jpg"))


# The cook's shopping list: pancakes for six and shakshuka as written; the eggs add up.
DEMO_SHOPPING = (("Fluffy buttermilk pancakes", 6), ("Shakshuka", None))


def seed_shopping_list(cook: User) -> int:
    """Fill ``cook``'s shopping list once (an existing list, ticks included, is left alone)."""
    if ShoppingItem.objects.owned_by(cook).exists():
        return 0
    added = 0
    for title, servings in DEMO_SHOPPING:
        recipe = Recipe.objects.filter(title=title).first()
        if recipe is not None:
            added += shopping.add_recipe(
                owner=cook, recipe=recipe, servings=servings or recipe.servings
            )
    first = ShoppingItem.objects.owned_by(cook).filter(key="flour").first()
    if first is not None:
        shopping.set_ticked(item=first, ticked=True)
    return added
