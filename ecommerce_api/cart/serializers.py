from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from rest_framework import serializers

from cart.models import CartLine
from config.fields import MAX_LINES, product_id_field, quantity_field


class CartItemAddSerializer(serializers.Serializer[Any]):
    product = product_id_field()
    quantity = quantity_field()


class CartItemQuantitySerializer(serializers.Serializer[Any]):
    quantity = quantity_field()


class CartLineSerializer(serializers.ModelSerializer[CartLine]):
    product = serializers.IntegerField(
        source="product_id", read_only=True, help_text="The product's id."
    )
    product_name = serializers.CharField(source="product.name", read_only=True)
    unit_price = serializers.DecimalField(
        source="product.price",
        max_digits=10,
        decimal_places=2,
        read_only=True,
        help_text="Today's price: a cart keeps none of its own.",
    )
    line_total = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    available = serializers.IntegerField(
        read_only=True,
        help_text="The stock left now (0 when the product is no longer for sale); a cart "
        "reserves nothing.",
    )

    class Meta:
        model = CartLine
        fields = ["product", "product_name", "quantity", "unit_price", "line_total", "available"]
        read_only_fields = fields


class CartSerializer(serializers.Serializer[dict[str, Any]]):
    """The cart as a whole; :meth:`of` builds what it shows from the lines alone."""

    items = CartLineSerializer(many=True, help_text=f"Oldest first; at most {MAX_LINES} products.")
    total = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text="At today's prices."
    )

    @classmethod
    def of(cls, lines: Sequence[CartLine]) -> CartSerializer:
        total = sum((line.line_total for line in lines), Decimal("0.00"))
        return cls({"items": lines, "total": total})
