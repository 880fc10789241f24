from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from accounts.validators import validate_single_line

ACTIVE = Q(is_active=True)


class Category(models.Model):
    name = models.CharField(max_length=100, validators=[validate_single_line])
    slug = models.SlugField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                name="catalog_category_unique_slug",
                violation_error_message="A category with this slug already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProductQuerySet(models.QuerySet["Product"]):
    def active(self) -> ProductQuerySet:
        """Products the shop sells; inactive ones are hidden from the API, never deleted."""
        return self.filter(ACTIVE)

    def in_stock(self) -> ProductQuerySet:
        return self.filter(stock__gt=0)

    def out_of_stock(self) -> ProductQuerySet:
        return self.filter(stock=0)

    def search(self, text: str) -> ProductQuerySet:
        return self.filter(Q(name__icontains=text) | Q(description__icontains=text))


class Product(models.Model):
    """Something the shop sells.

    ``stock`` is only ever lowered by a conditional UPDATE in ``orders.services``; the CHECK
    constraint is the last line of defence if any other code path gets it wrong.
    """

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    name = models.CharField(max_length=200, validators=[validate_single_line])
    slug = models.SlugField(max_length=200)
    description = models.TextField(blank=True)
    price = models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.00"))]
    )
    stock = models.IntegerField(default=0, validators=[MinValueValidator(0)])
    is_active = models.BooleanField(
        "active", default=True, help_text="Inactive products are hidden from the shop."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stock__gte=0),
                name="catalog_product_stock_not_negative",
                violation_error_message="Stock cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0),
                name="catalog_product_price_not_negative",
                violation_error_message="The price cannot be negative.",
            ),
            models.UniqueConstraint(
                fields=["slug"],
                name="catalog_product_unique_slug",
                violation_error_message="A product with this slug already exists.",
            ),
        ]
        # One index per sort order and filter the API offers. They are partial (WHERE is_active)
        # because every public query filters on it: Django writes that filter as a bare
        # ``WHERE "is_active"``, which SQLite cannot match to a leading is_active column (so it
        # sorted every active row for each page), but does match to this index condition.
        indexes = [
            models.Index(fields=["name", "id"], name="product_active_name_idx", condition=ACTIVE),
            models.Index(fields=["price", "id"], name="product_active_price_idx", condition=ACTIVE),
            models.Index(
                fields=["created_at", "id"], name="product_active_created_idx", condition=ACTIVE
            ),
            models.Index(
                fields=["category", "name", "id"],
                name="product_active_category_idx",
                condition=ACTIVE,
            ),
            models.Index(fields=["stock"], name="product_active_stock_idx", condition=ACTIVE),
            # The newest change, part of the list cache's key (catalog/list_cache.py).
            models.Index(fields=["updated_at"], name="product_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def in_stock(self) -> bool:
        return self.stock > 0
