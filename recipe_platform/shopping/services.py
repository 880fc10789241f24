"""Adding a recipe to a shopping list, ticking items off, clearing the ticked ones."""

from __future__ import annotations

from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from recipes.ingredients import MAX_DENOMINATOR, item_key
from recipes.models import Recipe
from shopping.models import MAX_ITEMS, ShoppingItem

# An amount no kitchen buys: a sum past it is a list gone wrong, refused rather than stored.
MAX_AMOUNT = Fraction(1_000_000)


@transaction.atomic
def add_recipe(*, owner: User, recipe: Recipe, servings: int) -> int:
    """Add ``recipe``'s ingredients for ``servings`` to ``owner``'s list; returns how many rows
    the list gained or changed.

    Rows with the same key and unit are added up, on the list and within the recipe; a range
    ("2-3 apples") counts its upper bound, since the shop comes before the cooking. An item
    already ticked off is unticked when more of it is needed. Six queries whatever the number of
    ingredients (the owner's row lock, the ingredients, the matching items, the count, one
    update, one insert). Raises ``ValidationError`` when the list would pass
    :data:`~shopping.models.MAX_ITEMS` rows or an amount would pass :data:`MAX_AMOUNT`.
    """
    # One add at a time per cook: the sums below are read, added and written back.
    list(User.objects.select_for_update().filter(pk=owner.pk).values_list("pk", flat=True))
    factor = Fraction(servings, recipe.servings)
    wanted: dict[tuple[str, str], tuple[str, Fraction | None]] = {}
    for row in recipe.ingredients.all():
        key = item_key(row.item)
        if not key:
            continue
        most = row.quantity_max or row.quantity
        amount = most * factor if most is not None else None
        item, so_far = wanted.get((key, row.unit), (row.item, None))
        wanted[(key, row.unit)] = (item, _add(so_far, amount))
    existing = {
        (found.key, found.unit): found
        for found in ShoppingItem.objects.owned_by(owner).filter(key__in={key for key, _ in wanted})
    }
    changed: list[ShoppingItem] = []
    created: list[ShoppingItem] = []
    for (key, unit), (item, amount) in wanted.items():
        found = existing.get((key, unit))
        if found is None:
            new = ShoppingItem(owner=owner, key=key, item=item, unit=unit)
            new.quantity = _bounded(amount)
            created.append(new)
        else:
            found.quantity = _bounded(_add(found.quantity, amount))
            found.ticked = False
            changed.append(found)
    if created and ShoppingItem.objects.owned_by(owner).count() + len(created) > MAX_ITEMS:
        raise ValidationError(
            f"A shopping list holds at most {MAX_ITEMS} items: clear the ticked ones first.",
            code="list_full",
        )
    ShoppingItem.objects.bulk_update(
        changed, ["quantity_numerator", "quantity_denominator", "ticked"]
    )
    ShoppingItem.objects.bulk_create(created)
    return len(changed) + len(created)


def _add(first: Fraction | None, second: Fraction | None) -> Fraction | None:
    if first is None:
        return second
    if second is None:
        return first
    return first + second


def _bounded(amount: Fraction | None) -> Fraction | None:
    if amount is None:
        return None
    if amount > MAX_AMOUNT:
        raise ValidationError(
            "That would make an amount on your list larger than any shop sells: "
            "clear the ticked items or choose fewer servings.",
            code="amount_too_large",
        )
    # Kept exact for any recipe amount; only a long sum of odd thirds and sevenths is rounded.
    return amount.limit_denominator(MAX_DENOMINATOR)


def set_ticked(*, item: ShoppingItem, ticked: bool) -> None:
    item.ticked = ticked
    item.save(update_fields=["ticked"])


def clear_ticked(*, owner: User) -> int:
    """Delete ``owner``'s ticked items; returns how many went."""
    deleted, _ = ShoppingItem.objects.owned_by(owner).ticked().delete()
    return deleted
