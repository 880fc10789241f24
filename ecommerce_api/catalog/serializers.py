from __future__ import annotations

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


def image_representations(product: Product, request: Request | None) -> list[dict[str, Any]]:
    """The product's photos in display order (prefetched: ``ProductQuerySet.with_images``).

    URLs are built without touching the storage: the sizes' names follow from the photo's.
    """
    absolute = request.build_absolute_uri if request is not None else str
    return [
        {
            "id": image.pk,
            "alt": image.alt_text or product.name,
            "is_primary": index == 0,
            **{size: absolute(getattr(image, size).url) for size in ProductImage.SIZES},
        }
        for index, image in enumerate(product.images.all())
    ]


class ProductSerializer(serializers.ModelSerializer[Product]):
    """A product as the API shows it; read-only (the catalogue changes in the admin).

    The declared fields describe it (the OpenAPI schema); ``to_representation`` builds the same
    dict directly, because DRF's generic one, walking eight fields and a nested serializer per
    product, was a quarter of an uncached list page. A test compares the two.
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

    def to_representation(self, instance: Product) -> dict[str, Any]:
        category = instance.category
        return {
            "id": instance.pk,
            "name": instance.name,
            "slug": instance.slug,
            "description": instance.description,
            "price": f"{instance.price:.2f}",
            "stock": instance.stock,
            "in_stock": instance.in_stock,
            "category": {"id": category.pk, "name": category.name, "slug": category.slug},
            "images": image_representations(instance, self.context.get("request")),
        }
