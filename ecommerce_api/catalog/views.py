from __future__ import annotations

from typing import Any, TypeVar, cast

from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from catalog import list_cache
from catalog.filters import DEFAULT_LIST, ProductFilter
from catalog.models import Category, Product, ProductQuerySet
from catalog.serializers import CategoryWithCountSerializer, ProductSerializer
from config.composed import Shape
from config.openapi import error_responses
from config.pagination import CappedCountPagination

_Row = TypeVar("_Row")

PRODUCT_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The `ETag` of the page the client holds: 304 if it is still current.",
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 304],
    required=True,
    description="Validator of this page's content, for `If-None-Match`.",
)


@extend_schema_view(
    list=extend_schema(
        summary="List products",
        description=(
            "Active products only, paginated, with filters and an allowlisted sort order. "
            f"A page may be up to {list_cache.SECONDS} seconds old in `stock` and `in_stock`; "
            "the product's own endpoint is always current, and placing an order checks the "
            "stock again."
        ),
        parameters=[IF_NONE_MATCH, ETAG],
        responses={
            200: ProductSerializer(many=True),
            304: OpenApiResponse(description="Not modified: the page in `If-None-Match` holds."),
            **error_responses(400, 401, 404),
        },
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
    filter_backends = [DjangoFilterBackend]  # applied by filter_queryset
    filterset_class = ProductFilter
    pagination_class = CappedCountPagination
    permission_classes = [permissions.AllowAny]
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[Product]:
        """Products on sale, filtered, sorted and counted as they are; only the page's rows
        are read for display (``display_rows``), as plain rows with their category's columns."""
        return Product.objects.active()

    def display_rows(self, queryset: QuerySet[Product]) -> QuerySet[Product, dict[str, Any]]:
        # Filtering and sorting keep the QuerySet's class.
        return cast(ProductQuerySet, queryset).for_display()

    def get_object(self) -> dict[str, Any]:  # type: ignore[override]
        """DRF's, answering the product's row as a page shows it (``display_rows``)."""
        queryset = self.display_rows(self.filter_queryset(self.get_queryset()))
        try:
            row = queryset.get(pk=self.kwargs[self.lookup_field])
        except Product.DoesNotExist:
            raise Http404 from None
        self.check_object_permissions(self.request, row)
        return row

    #: The list's query shape (``ProductFilter.shape``): its count and page are sent as
    #: statements composed once per shape (config.composed). None: built by the ORM.
    list_shape: Shape | None = None

    def filter_queryset(self, queryset: QuerySet[Product, _Row]) -> QuerySet[Product, _Row]:
        """django-filter's filtering, keeping the list's query shape. Without a filter
        parameter the filterset would only build and validate an empty form, a sixth of an
        uncached page's time: the default list skips it."""
        if self.request.query_params.keys().isdisjoint(ProductFilter.base_filters):
            self.list_shape = Shape(
                key=DEFAULT_LIST, values={}, markers={}, build=lambda marked: queryset
            )
            return queryset
        filterset = ProductFilter(self.request.query_params, queryset, request=self.request)
        if not filterset.is_valid():  # as DjangoFilterBackend: a 400 naming each parameter
            # django-filter's stubs say a dict; it is DRF's ValidationError.
            raise cast(ValidationError, translate_validation(filterset.errors))
        self.list_shape = filterset.shape()
        filtered: QuerySet[Product, _Row] = filterset.qs
        return filtered

    # DRF's dispatch takes any HttpResponse; a cached page is already rendered.
    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        """The JSON page from the shared cache when the catalogue has not changed and the
        page may be stored at all (see ``catalog.list_cache``), with an ``ETag`` either way;
        ``If-None-Match`` with it answers 304.

        Authentication, permissions and content negotiation have run by now. The browsable
        API's HTML shows who is logged in, so only JSON is cached; errors never are.
        """
        if request.accepted_renderer.format != "json":
            return super().list(request, *args, **kwargs)
        key = list_cache.page_key(request)
        page = list_cache.get(key) if key else None
        if page is None:
            data = super().list(request, *args, **kwargs).data
            renderer = request.accepted_renderer
            body = renderer.render(data, request.accepted_media_type, self.get_renderer_context())
            page = list_cache.RenderedPage.of(body, renderer.media_type)
            if key:  # only pages whose parameters the data bounds (see catalog.list_cache)
                list_cache.store(key, page)
        response = HttpResponse(page.body, content_type=page.content_type)
        response["ETag"] = page.etag
        return get_conditional_response(request, etag=page.etag, response=response) or response


@extend_schema_view(
    list=extend_schema(
        summary="List categories",
        description="Every category, by name, with how many of its products are on sale.",
        responses={200: CategoryWithCountSerializer(many=True), **error_responses(400, 401, 404)},
    ),
)
class CategoryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Category]):
    """The catalogue's categories, for a shop app's menu: public, read-only."""

    serializer_class = CategoryWithCountSerializer
    permission_classes = [permissions.AllowAny]
    filter_backends: list[type[Any]] = []

    def get_queryset(self) -> QuerySet[Category]:
        return Category.objects.with_product_counts().order_by("name", "id")
