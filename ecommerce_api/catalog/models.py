from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.validators import MinValueValidator
from django.db import connections, models
from django.db.models import F, Q
from django.db.models.lookups import Exact, GreaterThan, GreaterThanOrEqual, LessThanOrEqual
from imagekit.models import ImageSpecField
from imagekit.processors import ResizeToFill, ResizeToFit

from accounts.validators import validate_single_line
from catalog.planner_hints import Likely

ACTIVE = Q(is_active=True)

#: The text search configuration (stemming, stop words) of the shop's language.
SEARCH_CONFIG = "english"
#: What PostgreSQL's full-text search matches, exactly as the GIN index holds it.
SEARCH_DOCUMENT = SearchVector("name", "description", config=SEARCH_CONFIG)


class CategoryQuerySet(models.QuerySet["Category"]):
    def with_product_counts(self) -> CategoryQuerySet:
        """Each category with ``product_count``, its active products: counted by the database
        in the same query, whatever the number of categories."""
        return self.annotate(
            product_count=models.Count("products", filter=Q(products__is_active=True))
        )


class Category(models.Model):
    name = models.CharField(max_length=100, validators=[validate_single_line])
    slug = models.SlugField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CategoryQuerySet.as_manager()

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


#: The columns of a product and its category the API shows (``ProductSerializer.represent``).
DISPLAYED_FIELDS = (
    "id",
    "name",
    "slug",
    "description",
    "price",
    "stock",
    "category_id",
    "category__name",
    "category__slug",
)


class ProductQuerySet(models.QuerySet["Product"]):
    def active(self) -> ProductQuerySet:
        """Products the shop sells; inactive ones are hidden from the API, never deleted."""
        return self.filter(ACTIVE)

    # The filters below are hints to SQLite's planner as well (catalog.planner_hints): a page
    # in any order walks that order's index instead of sorting every match.

    def in_stock(self) -> ProductQuerySet:
        return self.filter(Likely(GreaterThan(F("stock"), 0)))

    def out_of_stock(self) -> ProductQuerySet:
        return self.filter(Likely(Exact(F("stock"), 0)))

    def in_category(self, category_id: int) -> ProductQuerySet:
        return self.filter(Likely(Exact(F("category"), category_id)))

    def priced_from(self, lowest: Decimal) -> ProductQuerySet:
        """Products costing ``lowest`` or more."""
        return self.filter(Likely(GreaterThanOrEqual(F("price"), lowest)))

    def priced_up_to(self, highest: Decimal) -> ProductQuerySet:
        """Products costing ``highest`` or less."""
        return self.filter(Likely(LessThanOrEqual(F("price"), highest)))

    def for_display(self) -> models.QuerySet[Product, dict[str, Any]]:
        """The columns the API shows, with the category's, as plain rows (dicts): no model
        instances, two a product with its category, each converting two timestamps and running
        every ``post_init`` receiver (0.3 ms of a page of 20)."""
        rows: models.QuerySet[Product, dict[str, Any]] = self.values(*DISPLAYED_FIELDS)
        return rows

    def search(self, text: str) -> ProductQuerySet:
        """Products whose name or description match ``text``.

        On PostgreSQL, full-text search: English stemming ("kettles" finds "kettle"), web-search
        syntax (quoted phrases, ``-word``), served by a GIN index on the same expression
        (:data:`SEARCH_DOCUMENT`, migration ``catalog/0007``). Elsewhere (SQLite) a substring
        match of the whole text, case-insensitive for ASCII, which scans.
        """
        if connections[self.db].vendor == "postgresql":
            query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
            return self.alias(search_document=SEARCH_DOCUMENT).filter(search_document=query)
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
        # Each index of a sort order also holds the filtered columns (price, stock, category),
        # so a filter in that order is checked in the index, never in the table: at worst a
        # walk of the index (12 ms at 100,000 products on SQLite) instead of sorting every
        # match (catalog.planner_hints). The category and stock indexes are ordered by name
        # within a category or a stock level, for those lists in the default order.
        indexes = [
            models.Index(
                fields=["name", "id", "price", "stock", "category"],
                name="product_active_name_idx",
                condition=ACTIVE,
            ),
            models.Index(
                fields=["price", "id", "stock", "category"],
                name="product_active_price_idx",
                condition=ACTIVE,
            ),
            models.Index(
                fields=["created_at", "id", "price", "stock", "category"],
                name="product_active_created_idx",
                condition=ACTIVE,
            ),
            models.Index(
                fields=["category", "name", "id", "price", "stock"],
                name="product_active_category_idx",
                condition=ACTIVE,
            ),
            models.Index(
                fields=["stock", "name", "id"], name="product_active_stock_idx", condition=ACTIVE
            ),
            # The newest change, part of the list cache's key (catalog/list_cache.py).
            models.Index(fields=["updated_at"], name="product_updated_idx"),
            # Full-text search (ProductQuerySet.search); created on PostgreSQL only.
            GinIndex(SEARCH_DOCUMENT, name="product_search_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def in_stock(self) -> bool:
        return self.stock > 0


class ProductImageQuerySet(models.QuerySet["ProductImage"]):
    def by_product(self, product_ids: Sequence[int]) -> dict[int, list[ProductImage]]:
        """The photos of these products in display order, grouped by product, in one query.

        Instead of ``prefetch_related``, which builds a QuerySet for each product of a page
        (a sixth of an uncached list page, with or without photos). Plain SQL: the ORM spent
        0.35 ms compiling this statement, the database answers a page's in 0.02 ms. The order
        is the model's (``Meta.ordering``).
        """
        if not product_ids:
            return {}
        table = connections[self.db].ops.quote_name(ProductImage._meta.db_table)
        placeholders = ", ".join(["%s"] * len(product_ids))
        photos = self.raw(
            f"SELECT id, product_id, image, alt_text FROM {table} "  # noqa: S608 - no input
            f"WHERE product_id IN ({placeholders}) ORDER BY is_primary DESC, position, id",
            list(product_ids),
            using=self.db,
        )
        grouped: dict[int, list[ProductImage]] = {}
        for photo in photos:
            grouped.setdefault(photo.product_id, []).append(photo)
        return grouped


def _photo_name(instance: ProductImage, filename: str) -> str:
    """A random name: the uploaded file's name is never used (nor is anything else of it)."""
    return f"products/{uuid.uuid4().hex}.webp"


#: How the sizes are made and kept: generated once, when the photo is saved (in the admin),
#: never on a request that reads them, so a GET never writes to the storage.
_SIZE_OPTIONS = {
    "format": "WEBP",
    "options": {"quality": 82, "method": 4},
    "cachefile_strategy": "imagekit.cachefiles.strategies.Optimistic",
}


class ProductImage(models.Model):
    """A photo of a product, stored as ``catalog.images.clean_upload`` re-encoded it, and served
    in three fixed sizes made from it by django-imagekit on the configured storage.

    The photos of a product are shown by ``position``; the one marked primary comes first, and
    the database holds at most one such photo per product.
    """

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to=_photo_name)
    alt_text = models.CharField(
        "text alternative",
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text="What the photo shows, for screen readers; the product's name if empty.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first.")
    is_primary = models.BooleanField(
        "primary", default=False, help_text="Shown first, as the product's photo in lists."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProductImageQuerySet.as_manager()

    thumbnail = ImageSpecField(source="image", processors=[ResizeToFill(200, 200)], **_SIZE_OPTIONS)
    card = ImageSpecField(
        source="image", processors=[ResizeToFit(600, 600, upscale=False)], **_SIZE_OPTIONS
    )
    full = ImageSpecField(
        source="image", processors=[ResizeToFit(1600, 1600, upscale=False)], **_SIZE_OPTIONS
    )

    #: The sizes the API gives a URL for, smallest first.
    SIZES = ("thumbnail", "card", "full")

    class Meta:
        ordering = ["-is_primary", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["product"],
                condition=Q(is_primary=True),
                name="catalog_productimage_one_primary",
                violation_error_message="A product has one primary photo.",
            ),
        ]
        indexes = [
            # A product's photos in display order, fetched for a page of products at once.
            models.Index(
                fields=["product", "-is_primary", "position", "id"],
                name="productimage_display_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Photo {self.position} of {self.product}"

    def stored_names(self) -> list[str]:
        """The names of the photo and of its sizes in the storage."""
        if not self.image:
            return []
        return [self.image.name, *(getattr(self, size).name for size in self.SIZES)]
