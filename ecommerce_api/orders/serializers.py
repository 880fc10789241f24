from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from rest_framework import serializers

from cart.models import CartLine
from catalog.models import Product
from config.fields import MAX_ID, MAX_LINES, MAX_QUANTITY, JSONBooleanField, JSONIntegerField
from orders.exceptions import Shortage
from orders.models import Order, OrderEvent, OrderLine
from orders.preview import OrderPreview, PreviewLine
from orders.services import LineRequest

if TYPE_CHECKING:
    from accounts.models import User


class OrderLineInputSerializer(serializers.Serializer[Any]):
    product = JSONIntegerField(min_value=1, max_value=MAX_ID, help_text="A product's id.")
    quantity = JSONIntegerField(
        min_value=1, max_value=MAX_QUANTITY, help_text=f"From 1 to {MAX_QUANTITY}."
    )


def products_for_sale(items: list[dict[str, Any]]) -> dict[int, Product]:
    """The products of ``items``, by id, after checking each line: the product is for sale and
    listed once. Raises a ``ValidationError`` keyed by the line's index otherwise."""
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
    return products


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
        products = products_for_sale(items)

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


class OrderEventSerializer(serializers.ModelSerializer[OrderEvent]):
    """One step of the order's history as its customer sees it: which status, when, and
    whether the customer or the shop took it (staff names are not shown)."""

    by = serializers.SerializerMethodField(help_text="`customer` or `shop`.")

    class Meta:
        model = OrderEvent
        fields = ["status", "created_at", "by"]
        read_only_fields = fields

    def get_by(self, event: OrderEvent) -> Literal["customer", "shop"]:
        return "shop" if event.by_staff else "customer"


class OrderDetailSerializer(OrderSerializer):
    """One order with its history, oldest step first (``GET /api/orders/<id>/``)."""

    history = OrderEventSerializer(source="events", many=True, read_only=True)

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "history"]
        read_only_fields = fields


def _one_source(attrs: dict[str, Any]) -> bool:
    """Whether the request orders the cart; it must name ``items`` or ``"cart": true``, once."""
    from_cart: bool = attrs.get("cart", False)
    if from_cart and "items" in attrs:
        raise serializers.ValidationError({"cart": ['Send items or "cart": true, not both.']})
    if not from_cart and "items" not in attrs:
        raise serializers.ValidationError({"items": ['This field is required (or "cart": true).']})
    return from_cart


def _cart_items(customer: User) -> list[dict[str, Any]]:
    return [
        {"product": line.product_id, "quantity": line.quantity}
        for line in CartLine.objects.of(customer)
    ]


class PlaceOrderSerializer(OrderCreateSerializer):
    """``POST /api/orders/``: ``{"items": [...]}`` as ever, or ``{"cart": true}`` to order
    everything in the customer's cart (``context["customer"]``), checked the same way."""

    items: serializers.ListSerializer[Any] = serializers.ListSerializer(
        child=OrderLineInputSerializer(),
        allow_empty=False,
        max_length=MAX_LINES,
        required=False,
        help_text='The lines to order; leave out with `"cart": true`.',
    )
    cart = JSONBooleanField(
        required=False,
        help_text="`true`: order everything in my cart instead of `items`; the cart is emptied "
        "when the order is placed.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not _one_source(attrs):
            return attrs
        items = _cart_items(self.context["customer"])
        if not items:
            raise serializers.ValidationError({"cart": ["Your cart is empty."]})
        try:
            attrs["items"] = self.validate_items(items)
        except serializers.ValidationError as exc:
            if self.shortages:
                raise
            raise serializers.ValidationError({"cart": exc.detail}) from exc
        return attrs


class PreviewOrderSerializer(PlaceOrderSerializer):
    """``POST /api/orders/preview/``: what ``POST /api/orders/`` takes, plus
    ``accept_available``. A shortage is not an error here but the answer."""

    accept_available = JSONBooleanField(
        default=False,
        help_text="`true`: show the order of what is left (each line cut to the stock).",
    )

    def validate_items(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        products_for_sale(items)
        return items

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _one_source(attrs)  # a cart is previewed as it is, whatever it holds
        return attrs


class PreviewLineSerializer(serializers.Serializer[PreviewLine]):
    product = serializers.IntegerField(source="product_id", help_text="The product's id.")
    product_name = serializers.CharField()
    unit_price = serializers.DecimalField(
        max_digits=10, decimal_places=2, help_text="Today's price."
    )
    requested = serializers.IntegerField(help_text="The quantity asked for.")
    quantity = serializers.IntegerField(
        help_text="The quantity the order would hold: `requested`, or with `accept_available` "
        "what is left of it (possibly 0)."
    )
    available = serializers.IntegerField(
        help_text="The stock left now; 0 for a product no longer for sale."
    )
    short = serializers.BooleanField(help_text="`true` when `available` is below `requested`.")
    line_total = serializers.DecimalField(max_digits=12, decimal_places=2)


class OrderPreviewSerializer(serializers.Serializer[OrderPreview]):
    items = PreviewLineSerializer(source="lines", many=True)
    total = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text="Of the `quantity` of every line."
    )
    can_be_placed = serializers.BooleanField(
        help_text="Whether an order of these quantities would be placed now: no short line "
        "(or, with `accept_available`, something left to order). A snapshot: the stock may "
        "change before the order is placed."
    )
    accept_available = serializers.BooleanField()
