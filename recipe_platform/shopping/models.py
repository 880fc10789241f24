"""Each cook's shopping list: one row per item and unit, amounts added up as recipes are added.

"2 eggs" from pancakes and "3 eggs" from a cake are one row, "5 eggs"; "200 g flour" and
"1 cup flour" stay two rows (the same item in another unit is not added up: a cup of flour is not
a fixed number of grams). Which rows are "the same item" is decided by a normalised key
(:func:`recipes.ingredients.item_key`: case, spacing and a plural do not count) and held by a
unique constraint, so two adds at once cannot make two rows.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

from recipes.ingredients import ITEM_MAX_LENGTH, Unit, format_quantity, unit_label

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

MAX_ITEMS = 500  # a list is for one shop; also what the print page shows at most


class ShoppingItemQuerySet(models.QuerySet["ShoppingItem"]):
    def owned_by(self, user: AbstractBaseUser | AnonymousUser) -> ShoppingItemQuerySet:
        """The items ``user`` may see and change: their own. Anyone else's is not found."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner_id=user.pk)

    def ticked(self) -> ShoppingItemQuerySet:
        return self.filter(ticked=True)


class ShoppingItem(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shopping_items"
    )
    key = models.CharField(max_length=ITEM_MAX_LENGTH, editable=False)
    item = models.CharField(max_length=ITEM_MAX_LENGTH)
    unit = models.CharField(max_length=8, choices=Unit.choices, blank=True)
    # Exact, like a recipe's rows; none for "salt, to taste".
    quantity_numerator = models.PositiveBigIntegerField(null=True, blank=True)
    quantity_denominator = models.PositiveBigIntegerField(null=True, blank=True)
    ticked = models.BooleanField(default=False)
    added = models.DateTimeField(auto_now_add=True)

    objects = ShoppingItemQuerySet.as_manager()

    class Meta:
        ordering = ["ticked", "key", "unit"]
        indexes = [
            # The list and the print page: one cook's items, still to buy first, by name.
            models.Index(fields=["owner", "ticked", "key", "unit"], name="shopping_list_order_idx"),
        ]
        constraints = [
            # The same item in the same unit is one row: adding again adds up (shopping.services).
            models.UniqueConstraint(fields=["owner", "key", "unit"], name="shopping_item_unique"),
            models.CheckConstraint(condition=~models.Q(key=""), name="shopping_item_has_key"),
            models.CheckConstraint(
                condition=models.Q(
                    quantity_numerator__isnull=True, quantity_denominator__isnull=True
                )
                | models.Q(
                    quantity_numerator__isnull=False,
                    quantity_denominator__isnull=False,
                    quantity_numerator__gt=0,
                    quantity_denominator__gt=0,
                ),
                name="shopping_item_quantity_is_positive_fraction",
            ),
        ]

    def __str__(self) -> str:
        return self.item

    @property
    def quantity(self) -> Fraction | None:
        if self.quantity_numerator is None or self.quantity_denominator is None:
            return None
        return Fraction(self.quantity_numerator, self.quantity_denominator)

    @quantity.setter
    def quantity(self, value: Fraction | None) -> None:
        self.quantity_numerator = value.numerator if value is not None else None
        self.quantity_denominator = value.denominator if value is not None else None

    @property
    def amount(self) -> str:
        """What to buy, as a cook reads it: "1 ½ cups", "250 g", "" for "salt"."""
        quantity = self.quantity
        words = [format_quantity(quantity, self.unit)] if quantity is not None else []
        if self.unit:
            words.append(unit_label(self.unit, quantity))
        return " ".join(words)
