from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.throttling import BaseThrottle

from config.api_errors import ApiError, Conflict, UnprocessableContent
from config.openapi import (
    RETRY_AFTER,
    OrderConflictSerializer,
    OrderValidationErrorSerializer,
    error_responses,
)
from config.parsers import JSONParser
from config.throttles import OrderPlacementThrottle
from orders.checkout import CartEmpty, place_cart
from orders.exceptions import (
    IdempotencyKeyReused,
    InsufficientStock,
    OrderNotCancellable,
    Shortage,
)
from orders.idempotency import HEADER, idempotency_key, request_hash
from orders.models import Order
from orders.preview import preview_cart, preview_order
from orders.serializers import (
    OrderDetailSerializer,
    OrderPreviewSerializer,
    OrderSerializer,
    PlaceOrderSerializer,
    PreviewOrderSerializer,
)
from orders.services import (
    IdempotencyClaim,
    PlacedOrder,
    cancel_order,
    find_replayed_order,
    place_order,
)


class InsufficientStockError(ApiError):
    """Not enough stock for some lines: one body, with every short line as numbers, whenever
    the shortage was found; the status says when.

    400 when validation saw it (the request cannot succeed as it stands), 409 when the stock
    ran out between validation and the conditional update (the state changed under it).
    """

    default_detail = "Not enough stock for some items; see shortages."
    default_code = "insufficient_stock"

    def __init__(self, shortages: Iterable[Shortage], *, status_code: int) -> None:
        body = [
            {"product": s.product_id, "requested": s.requested, "available": s.available}
            for s in shortages
        ]
        super().__init__(extra={"shortages": body})
        self.status_code = status_code


if TYPE_CHECKING:
    from accounts.models import User


@contextmanager
def domain_errors_as_http() -> Iterator[None]:
    """Translate the order workflow's exceptions into API errors with their documented codes."""
    try:
        yield
    except InsufficientStock as exc:
        raise InsufficientStockError(exc.shortages, status_code=status.HTTP_409_CONFLICT) from exc
    except IdempotencyKeyReused as exc:
        raise UnprocessableContent(
            f"This {HEADER} was already used with a different request body.",
            code="idempotency_key_reused",
        ) from exc
    except OrderNotCancellable as exc:
        raise Conflict(
            "Only an order that has not shipped (placed or paid) can be cancelled.",
            code="not_cancellable",
        ) from exc


IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=(
        "Any unique string (a UUID). Retrying with the same key and body returns the original "
        "order (201, `Idempotent-Replayed: true`) without placing it again; the same key with "
        "another body is 422. Keys are per user and replay for "
        f"{settings.IDEMPOTENCY_REPLAY_WINDOW.total_seconds() / 3600:g} hours after the order "
        "was placed; after that a key is new again."
    ),
)
ORDER_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
LOCATION = OpenApiParameter(
    "Location",
    OpenApiTypes.URI,
    OpenApiParameter.HEADER,
    response=[201],
    required=True,
    description="The new order's URL.",
)


@extend_schema_view(
    list=extend_schema(
        summary="List my orders",
        description="The authenticated customer's own orders, newest first.",
        responses={200: OrderSerializer(many=True), **error_responses(400, 401, 404)},
    ),
    retrieve=extend_schema(
        summary="Show one of my orders, with its history",
        description=(
            "`history` lists each status the order reached (placed, paid, shipped, delivered, "
            "or cancelled before shipping), oldest first, with when and whether the customer "
            "or the shop took the step. Someone else's order is a 404, exactly like one that "
            "does not exist."
        ),
        parameters=[ORDER_ID],
        responses={200: OrderDetailSerializer, **error_responses(401, 404)},
    ),
)
class OrderViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Order]
):
    """A customer's orders, one with its history. Placing goes through ``orders.services``,
    every status change through ``orders.lifecycle``."""

    queryset = Order.objects.none()  # tells the schema generator the model; never queried
    serializer_class = OrderSerializer
    parser_classes = [JSONParser]
    lookup_value_regex = "[0-9]+"

    @property
    def customer(self) -> User:
        """The signed-in customer: ``IsAuthenticated`` has refused anonymous requests."""
        return cast("User", self.request.user)

    def get_queryset(self) -> QuerySet[Order]:
        orders = Order.objects.owned_by(self.customer).with_lines()
        if self.action in ("retrieve", "cancel"):
            return orders.with_history()
        return orders

    def get_serializer_class(self) -> type[OrderSerializer]:
        if self.action in ("retrieve", "cancel"):
            return OrderDetailSerializer
        return OrderSerializer

    def get_throttles(self) -> list[BaseThrottle]:
        if self.action == "create":
            return [OrderPlacementThrottle()]
        return super().get_throttles()

    @extend_schema(
        summary="Place an order",
        description=(
            "Prices and totals are computed by the server. All lines are placed or none. "
            "A shortage is `insufficient_stock` with `shortages` listing every short line: "
            "400 when validation sees it, 409 when the stock ran out between validation and "
            "the moment it was taken. The body is the same. "
            '`{"cart": true}` orders everything in my cart instead, checked the same way, '
            "and empties the cart in the order's transaction; on any error the cart is left "
            "as it was."
        ),
        request=PlaceOrderSerializer,
        examples=[
            OpenApiExample(
                "Two products",
                value={"items": [{"product": 1, "quantity": 2}, {"product": 2, "quantity": 1}]},
                request_only=True,
            ),
            OpenApiExample("My cart", value={"cart": True}, request_only=True),
        ],
        parameters=[IDEMPOTENCY_KEY, LOCATION, RETRY_AFTER],
        responses={
            201: OrderSerializer,
            **error_responses(
                401,
                413,
                415,
                422,
                429,
                503,
                _400=OpenApiResponse(
                    OrderValidationErrorSerializer,
                    description=(
                        "`invalid` (with `errors` per field), `parse_error`, or "
                        "`insufficient_stock` (with `shortages`) when validation sees it."
                    ),
                ),
                _409=OpenApiResponse(
                    OrderConflictSerializer,
                    description=(
                        "`insufficient_stock` (with `shortages`) when the stock ran out after "
                        "validation, `cart_empty` (the cart was placed or emptied meanwhile), "
                        "or `conflict`."
                    ),
                ),
            ),
        },
    )
    def create(self, request: Request) -> Response:
        key = idempotency_key(request)
        claim = IdempotencyClaim(key, request_hash(request.data)) if key else None
        with domain_errors_as_http():
            # A replay is answered before validation: the stock may have run out since.
            if claim and (order := find_replayed_order(customer=self.customer, claim=claim)):
                return self._created(PlacedOrder(order, replayed=True))
            serializer = PlaceOrderSerializer(
                data=request.data, context={"customer": self.customer}
            )
            if not serializer.is_valid():
                if serializer.shortages:
                    raise InsufficientStockError(
                        serializer.shortages, status_code=status.HTTP_400_BAD_REQUEST
                    )
                raise ValidationError(serializer.errors)
            if serializer.validated_data.get("cart"):
                placed = self._place_cart(claim)
            else:
                placed = place_order(
                    customer=self.customer, lines=serializer.line_requests(), idempotency=claim
                )
        return self._created(placed)

    def _place_cart(self, claim: IdempotencyClaim | None) -> PlacedOrder:
        try:
            return place_cart(customer=self.customer, idempotency=claim)
        except CartEmpty as exc:
            # Validation saw lines; another request placed or emptied the cart since.
            raise Conflict("The cart was emptied meanwhile.", code="cart_empty") from exc

    @extend_schema(
        summary="Preview an order",
        description=(
            'The order that `items` or `"cart": true` would make, at today\'s prices, with the '
            "stock each line has left: a short line is `short`, not an error. With "
            "`accept_available: true` each line is cut to what is left (possibly 0). "
            "Reserves nothing and changes nothing; the stock may change before the order is "
            "placed, which checks again."
        ),
        request=PreviewOrderSerializer,
        examples=[
            OpenApiExample(
                "What is left of my cart",
                value={"cart": True, "accept_available": True},
                request_only=True,
            ),
        ],
        responses={200: OrderPreviewSerializer, **error_responses(400, 401, 413, 415)},
    )
    @action(detail=False, methods=["post"])
    def preview(self, request: Request) -> Response:
        serializer = PreviewOrderSerializer(data=request.data, context={"customer": self.customer})
        serializer.is_valid(raise_exception=True)
        accept_available = serializer.validated_data["accept_available"]
        if serializer.validated_data.get("cart"):
            preview = preview_cart(customer=self.customer, accept_available=accept_available)
        else:
            preview = preview_order(
                lines=serializer.line_requests(), accept_available=accept_available
            )
        return Response(OrderPreviewSerializer(preview).data)

    def _created(self, placed: PlacedOrder) -> Response:
        order = self.get_queryset().get(pk=placed.order.pk)
        headers = {"Location": reverse("order-detail", args=[order.pk], request=self.request)}
        if placed.replayed:
            headers["Idempotent-Replayed"] = "true"
        return Response(
            OrderSerializer(order).data, status=status.HTTP_201_CREATED, headers=headers
        )

    @extend_schema(
        summary="Cancel one of my orders",
        description=(
            "Until the order ships (placed or paid), and once: the stock is put back. "
            "Cancelling again, or after shipping, is `409 not_cancellable`."
        ),
        request=None,
        parameters=[ORDER_ID],
        responses={200: OrderDetailSerializer, **error_responses(401, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        order = self.get_object()
        with domain_errors_as_http():
            cancel_order(order=order, actor=self.customer)
        return Response(OrderDetailSerializer(self.get_object()).data)
