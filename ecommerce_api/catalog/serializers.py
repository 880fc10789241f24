from __future__ import annotations

from typing import Any

from rest_framework import serializers

from catalog.models import Category, Product


class CategorySerializer(serializers.ModelSerializer[Category]):
    class Meta:
        model = Category
        fields = ["id", "name", "slug"]


class ProductSerializer(serializers.ModelSerializer[Product]):
    """A product as the API shows it; read-only (the catalogue changes in the admin).

    The declared fields describe it (the OpenAPI schema); ``to_representation`` builds the same
    dict directly, because DRF's generic one, walking eight fields and a nested serializer per
    product, was a quarter of an uncached list page. A test compares the two.
    """

    category = CategorySerializer(read_only=True)
    in_stock = serializers.BooleanField(read_only=True)

    class Meta:
        model = Product
        fields = ["id", "name", "slug", "description", "price", "stock", "in_stock", "category"]
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
        }
