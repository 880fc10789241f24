from __future__ import annotations

from typing import Any

from rest_framework import serializers

from catalog.models import Product
from orders.exceptions import Shortage
from orders.models import Order, OrderLine
from orders.services import LineRequest

MAX_LINES = 50
MAX_QUANTITY = 100
MAX_ID = 2**63 - 1  # a database BIGINT; anything larger could never be a product's id


class JSONIntegerField(serializers.IntegerField):
    """A whole number sent as a JSON integer: ``3``, never ``"3"``, ``3.0``, ``1e2`` or ``true``.

    DRF's ``IntegerField`` reads anything ``int()`` can, after cutting a trailing ``.0``: the
    strings ``"1_0"`` (ten), ``"\\uff11"`` (a fullwidth one) and ``"  3 "``, the floats ``1.0``
    and ``1e2``, and JSON's ``true`` (a Python ``bool``, and so an ``int``). A client that sends
    any of these has a bug (or a guess) worth reporting, so only one spelling is accepted.
    """

    default_error_messages = {"invalid": "A whole number is required, sent as a JSON integer."}

    def to_internal_value(self, data: Any) -> int:
        if not isinstance(data, int) or isinstance(data, bool):
            self.fail("invalid")
        value: int = super().to_internal_value(data)
        return value


class OrderLineInputSerializer(serializers.Serializer[Any]):
    product = JSONIntegerField(min_value=1, max_value=MAX_ID, help_text="A product's id.")
    quantity = JSONIntegerField(
        min_value=1, max_value=MAX_QUANTITY, help_text=f"From 1 to {MAX_QUANTITY}."
    )


class OrderCreateSerializer(serializers.Serializer[Any]):
    """An order as the client sends it: products and quantities only.

    Prices never come from the client; unknown fields (``price``, ``total``...) are ignored.
    A product listed twice is refused rather than merged: a client that sends the same product
    twice has a bug, and guessing which quantity it meant would hide it.
    """

    items: serializers.ListSerializer[Any] = serializers.ListSerializer(
        child=OrderLineInputSerializer(), allow_empty=False, max_length=MAX_LINES
    )

    #: The short lines found by the last validation, as numbers; empty when there were none.
    #: DRF turns every value in a ``ValidationError`` into a string, so the view reads the
    #: machine-readable shortages here and the messages in ``errors``.
    shortages: tuple[Shortage, ...] = ()

    def validate_items(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Per line: the product is on sale and listed once; then, all lines: enough stock.

        A shortage is an ordinary validation error (code ``insufficient_stock``, one message per
        short line), with the numbers kept in :attr:`shortages`. It is only a snapshot: the
        conditional update in ``place_order`` decides.
        """
        self.shortages = ()
        products = Product.objects.active().in_bulk({item["product"] for item in items})
        # Keyed by the line's index, as DRF reports the lines' field errors.
        errors: dict[int, dict[str, list[str]]] = {}
        seen: set[int] = set()
        for index, item in enumerate(items):
            product_id = item["product"]
            if product_id in seen:
                errors[index] = {"product": ["This product is already in the order; list it once."]}
            elif product_id not in products:
                errors[index] = {"product": [f"No product with id {product_id} is for sale."]}
            seen.add(product_id)
        if errors:
            # Keyed by index like DRF's own list errors; the stubs only allow string keys.
            raise serializers.ValidationError(errors)  # type: ignore[arg-type]

        shortages = [
            Shortage(item["product"], item["quantity"], products[item["product"]].stock)
            for item in items
            if products[item["product"]].stock < item["quantity"]
        ]
        if shortages:
            self.shortages = tuple(shortages)
            raise serializers.ValidationError(
                [
                    f"Product {s.product_id}: {s.requested} requested, {s.available} available."
                    for s in shortages
                ],
                code="insufficient_stock",
            )
        return items

    def line_requests(self) -> list[LineRequest]:
        return [
            LineRequest(item["product"], item["quantity"]) for item in self.validated_data["items"]
        ]


class OrderLineSerializer(serializers.ModelSerializer[OrderLine]):
    product = serializers.IntegerField(
        source="product_id", read_only=True, help_text="The product's id."
    )
    line_total = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = OrderLine
        fields = ["product", "product_name", "quantity", "unit_price", "line_total"]
        read_only_fields = fields


class OrderSerializer(serializers.ModelSerializer[Order]):
    items = OrderLineSerializer(source="lines", many=True, read_only=True)

    class Meta:
        model = Order
        fields = ["id", "status", "items", "total", "created_at", "cancelled_at"]
        read_only_fields = fields
