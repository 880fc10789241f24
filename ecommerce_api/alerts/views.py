"""``POST /api/products/<id>/alerts/`` subscribes; ``/api/alerts/`` lists and deletes one's
own."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from alerts.exceptions import NoEmailAddress, ProductInStock
from alerts.models import StockAlert
from alerts.serializers import StockAlertSerializer
from alerts.services import subscribe
from catalog.models import Product
from config.openapi import RETRY_AFTER, error_responses
from config.parsers import JSONParser
from config.throttles import AlertSubscriptionThrottle

if TYPE_CHECKING:
    from accounts.models import User

PRODUCT_ID = OpenApiParameter("product_id", OpenApiTypes.INT, OpenApiParameter.PATH)
ALERT_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


class ProductAlertView(APIView):
    """Subscribe to a sold-out product's back-in-stock e-mail."""

    parser_classes = [JSONParser]
    throttle_classes = [AlertSubscriptionThrottle]

    @extend_schema(
        summary="Tell me when a product is back in stock",
        description=(
            "For a product that is out of stock: one e-mail, to the account's address, when its "
            "stock goes up again; then the alert ends. Idempotent: 201 with a new alert, 200 "
            "with the one you already have. A product in stock, or an account without an "
            "e-mail address, is a 400; an unknown or inactive product a 404."
        ),
        request=None,
        parameters=[PRODUCT_ID, RETRY_AFTER],
        responses={
            200: StockAlertSerializer,
            201: StockAlertSerializer,
            **error_responses(400, 401, 404, 429, 503),
        },
    )
    def post(self, request: Request, product_id: int) -> Response:
        product = get_object_or_404(Product.objects.active(), pk=product_id)
        try:
            alert, created = subscribe(user=cast("User", request.user), product=product)
        except ProductInStock as exc:
            raise ValidationError({"product": ["This product is in stock: order it now."]}) from exc
        except NoEmailAddress as exc:
            raise ValidationError(
                {"email": ["Add an e-mail address to your account (PATCH /api/me/) first."]}
            ) from exc
        return Response(
            StockAlertSerializer(alert).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


@extend_schema_view(
    list=extend_schema(
        summary="List my back-in-stock alerts",
        description="The alerts still waiting, newest first. A fired alert is gone.",
        responses={200: StockAlertSerializer(many=True), **error_responses(400, 401, 404)},
    ),
    destroy=extend_schema(
        summary="Delete one of my alerts",
        description="Someone else's alert is a 404, exactly like one that does not exist.",
        parameters=[ALERT_ID],
        responses={204: None, **error_responses(401, 404)},
    ),
)
class StockAlertViewSet(
    mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet[StockAlert]
):
    queryset = StockAlert.objects.none()  # tells the schema generator the model; never queried
    serializer_class = StockAlertSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[StockAlert]:
        user = cast("User", self.request.user)  # IsAuthenticated has refused anonymous requests
        return StockAlert.objects.owned_by(user).select_related("product")
