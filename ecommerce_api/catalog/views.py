from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets

from catalog.filters import ProductFilter
from catalog.models import Product
from catalog.serializers import ProductSerializer
from config.openapi import error_responses

PRODUCT_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


@extend_schema_view(
    list=extend_schema(
        summary="List products",
        description="Active products only, paginated, with filters and an allowlisted sort order.",
        responses={200: ProductSerializer(many=True), **error_responses(400, 401, 404)},
    ),
    retrieve=extend_schema(
        summary="Show a product",
        description="404 for an unknown or inactive product.",
        parameters=[PRODUCT_ID],
        responses={200: ProductSerializer, **error_responses(401, 404)},
    ),
)
class ProductViewSet(viewsets.ReadOnlyModelViewSet[Product]):
    """The public catalogue: anyone may browse it, nobody changes it through the API."""

    serializer_class = ProductSerializer
    filterset_class = ProductFilter
    permission_classes = [permissions.AllowAny]
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[Product]:
        return Product.objects.active().select_related("category")
