"""The customer's cart over HTTP: validate, call ``cart.services``, answer the whole cart.

Every answer is the cart as it is after the change, so a client never needs a second request
to redraw it. The cart is the signed-in customer's own: there is no cart id in any URL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cart import services
from cart.exceptions import (
    CartFull,
    NotEnoughStock,
    NotInCart,
    ProductNotForSale,
    QuantityTooLarge,
)
from cart.models import CartLine
from cart.serializers import CartItemAddSerializer, CartItemQuantitySerializer, CartSerializer
from config.api_errors import ApiError
from config.fields import MAX_ID, MAX_LINES, MAX_QUANTITY
from config.openapi import OrderValidationErrorSerializer, error_responses
from config.parsers import JSONParser

if TYPE_CHECKING:
    from accounts.models import User

PRODUCT_ID = OpenApiParameter(
    "product_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The product's id."
)
CHANGE_ERRORS = error_responses(
    401,
    413,
    415,
    _400=OpenApiResponse(
        OrderValidationErrorSerializer,
        description=(
            "`invalid` (with `errors` per field: a product not for sale, a quantity out of "
            f"bounds, a cart already holding {MAX_LINES} products), `parse_error`, or "
            "`insufficient_stock` (with `shortages`): the stock does not cover the quantity."
        ),
    ),
)


class CartShortage(ApiError):
    """The same body as an order's shortage, so a client handles both with one code path."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Not enough stock for this quantity; see shortages."
    default_code = "insufficient_stock"


@contextmanager
def cart_errors_as_http() -> Iterator[None]:
    try:
        yield
    except ProductNotForSale as exc:
        raise ValidationError({"product": [str(exc)]}) from exc
    except CartFull as exc:
        raise ValidationError(
            {"product": [f"The cart holds {MAX_LINES} products already; remove one first."]}
        ) from exc
    except QuantityTooLarge as exc:
        raise ValidationError(
            {
                "quantity": [
                    f"At most {MAX_QUANTITY} of one product; the cart would hold {exc.quantity}."
                ]
            }
        ) from exc
    except NotEnoughStock as exc:
        shortage = {
            "product": exc.product_id,
            "requested": exc.requested,
            "available": exc.available,
        }
        raise CartShortage(extra={"shortages": [shortage]}) from exc
    except NotInCart as exc:
        raise NotFound("This product is not in the cart.") from exc


class _CartView(APIView):
    parser_classes = [JSONParser]

    @property
    def customer(self) -> User:
        """The signed-in customer: ``IsAuthenticated`` (the default) refused anyone else."""
        return cast("User", self.request.user)

    def cart_response(self, status_code: int = status.HTTP_200_OK) -> Response:
        lines = list(CartLine.objects.of(self.customer))
        return Response(CartSerializer.of(lines).data, status=status_code)


class CartView(_CartView):
    """The signed-in customer's cart."""

    @extend_schema(
        summary="Show my cart",
        description="The lines at today's prices, and the stock each has left now. An "
        "empty cart if nothing was ever added. A cart reserves nothing.",
        responses={200: CartSerializer, **error_responses(401)},
    )
    def get(self, request: Request) -> Response:
        return self.cart_response()

    @extend_schema(
        summary="Empty my cart",
        request=None,
        responses={200: CartSerializer, **error_responses(401)},
    )
    def delete(self, request: Request) -> Response:
        services.empty_cart(customer=self.customer)
        return self.cart_response()


class CartItemsView(_CartView):
    @extend_schema(
        summary="Add a product to my cart",
        description=(
            "Adds `quantity` to the product's line (creating it). The line's new quantity must "
            f"be from 1 to {MAX_QUANTITY} and within the stock now, as in an order."
        ),
        request=CartItemAddSerializer,
        examples=[
            OpenApiExample(
                "Two of product 1", value={"product": 1, "quantity": 2}, request_only=True
            )
        ],
        responses={200: CartSerializer, **CHANGE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = CartItemAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with cart_errors_as_http():
            services.add_to_cart(
                customer=self.customer,
                product_id=serializer.validated_data["product"],
                quantity=serializer.validated_data["quantity"],
            )
        return self.cart_response()


class CartItemView(_CartView):
    @extend_schema(
        summary="Change a quantity in my cart",
        request=CartItemQuantitySerializer,
        parameters=[PRODUCT_ID],
        responses={
            200: CartSerializer,
            **CHANGE_ERRORS,
            **error_responses(404),
        },
    )
    def patch(self, request: Request, product_id: int) -> Response:
        serializer = CartItemQuantitySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with cart_errors_as_http():
            services.set_quantity(
                customer=self.customer,
                product_id=self._product_id(product_id),
                quantity=serializer.validated_data["quantity"],
            )
        return self.cart_response()

    @extend_schema(
        summary="Remove a product from my cart",
        request=None,
        parameters=[PRODUCT_ID],
        responses={200: CartSerializer, **error_responses(401, 404)},
    )
    def delete(self, request: Request, product_id: int) -> Response:
        with cart_errors_as_http():
            services.remove_from_cart(
                customer=self.customer, product_id=self._product_id(product_id)
            )
        return self.cart_response()

    @staticmethod
    def _product_id(product_id: int) -> int:
        """A number past any id is simply not in the cart (and never reaches the database)."""
        if product_id > MAX_ID:
            raise NotInCart(product_id)
        return product_id
