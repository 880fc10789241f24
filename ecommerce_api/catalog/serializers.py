from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rest_framework import serializers
from rest_framework.request import Request

from catalog.models import Category, Product, ProductImage


class CategorySerializer(serializers.ModelSerializer[Category]):
    class Meta:
        model = Category
        fields = ["id", "name", "slug"]


class CategoryWithCountSerializer(CategorySerializer):
    product_count = serializers.IntegerField(
        read_only=True, help_text="How many products of the category are on sale."
    )

    class Meta(CategorySerializer.Meta):
        fields = [*CategorySerializer.Meta.fields, "product_count"]


class ProductImageSerializer(serializers.ModelSerializer[ProductImage]):
    """One photo: an absolute URL for each fixed size (WebP), made when it was uploaded."""

    alt = serializers.CharField(
        source="alt_text", help_text="A text alternative; the product's name if staff gave none."
    )
    is_primary = serializers.BooleanField(help_text="The first photo is the primary one.")
    thumbnail = serializers.URLField(help_text="200 x 200, cropped to a square.")
    card = serializers.URLField(help_text="At most 600 x 600.")
    full = serializers.URLField(help_text="At most 1600 x 1600.")

    class Meta:
        model = ProductImage
        fields = ["id", "alt", "is_primary", *ProductImage.SIZES]
        read_only_fields = fields


def image_representations(
    product_name: str, images: Iterable[ProductImage], request: Request | None
) -> list[dict[str, Any]]:
    """A product's photos, given in display order.

    URLs are built without touching the storage: the sizes' names follow from the photo's.
    """
    absolute = request.build_absolute_uri if request is not None else str
    return [
        {
            "id": image.pk,
            "alt": image.alt_text or product_name,
            "is_primary": index == 0,
            **{size: absolute(getattr(image, size).url) for size in ProductImage.SIZES},
        }
        for index, image in enumerate(images)
    ]


#: A product as ``ProductQuerySet.for_display`` reads it.
Row = Mapping[str, Any]


class ProductListSerializer(serializers.ListSerializer[Product]):
    """A page of products, with the photos of the whole page read in one query
    (``ProductImage.objects.by_product``)."""

    child: ProductSerializer

    def to_representation(self, data: Iterable[Row]) -> list[dict[str, Any]]:  # type: ignore[override]
        rows = list(data)
        photos = ProductImage.objects.by_product([row["id"] for row in rows])
        return [self.child.represent(row, photos.get(row["id"], [])) for row in rows]


class ProductSerializer(serializers.ModelSerializer[Product]):
    """A product as the API shows it; read-only (the catalogue changes in the admin).

    The declared fields describe it (the OpenAPI schema). The product is read as a plain row
    (``ProductQuerySet.for_display``) and :meth:`represent` builds the same dict DRF's generic
    ``to_representation`` would build from a model instance (a test compares the two): walking
    eight fields and a nested serializer per product was a quarter of an uncached list page.
    """

    category = CategorySerializer(read_only=True)
    in_stock = serializers.BooleanField(read_only=True)
    images = ProductImageSerializer(
        many=True, read_only=True, help_text="The photos, primary first, then by position."
    )

    class Meta:
        model = Product
        fields = [
            "id",
            "name",
            "slug",
            "description",
            "price",
            "stock",
            "in_stock",
            "category",
            "images",
        ]
        read_only_fields = fields
        list_serializer_class = ProductListSerializer

    def to_representation(self, instance: Row) -> dict[str, Any]:  # type: ignore[override]
        return self.represent(
            instance, ProductImage.objects.by_product([instance["id"]]).get(instance["id"], [])
        )

    def represent(self, row: Row, images: Iterable[ProductImage]) -> dict[str, Any]:
        """The product as the API shows it, with its photos in display order."""
        return {
            "id": row["id"],
            "name": row["name"],
            "slug": row["slug"],
            "description": row["description"],
            "price": f"{row['price']:.2f}",
            "stock": row["stock"],
            "in_stock": row["stock"] > 0,  # Product.in_stock
            "category": {
                "id": row["category_id"],
                "name": row["category__name"],
                "slug": row["category__slug"],
            },
            "images": image_representations(row["name"], images, self.context.get("request")),
        }
