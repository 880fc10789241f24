"""The error shape of :mod:`config.api_errors`, described for the OpenAPI schema.

drf-spectacular documents no error response by itself; each view lists its own with
:func:`error_responses`, so the schema says exactly which statuses an operation can answer.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema_field
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="Stable, machine-readable error code.")
    detail = serializers.CharField(help_text="Human-readable explanation.")


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": True,
        "description": (
            "Messages per field, as DRF gives them: a list of strings, or for a list of "
            "objects (e.g. `items`) one object of field messages per entry."
        ),
    }
)
class FieldErrorsField(serializers.DictField):
    pass


class ValidationErrorSerializer(ErrorSerializer):
    # DRF's metaclass moves declared fields into _declared_fields, so this field never
    # shadows the Serializer.errors property the stubs see.
    errors = FieldErrorsField(  # type: ignore[assignment]
        required=False, help_text="Present when code is `invalid`: what is wrong, per field."
    )


class ShortageSerializer(serializers.Serializer[Any]):
    product = serializers.IntegerField(help_text="The product's id.")
    requested = serializers.IntegerField(help_text="The quantity the order asked for.")
    available = serializers.IntegerField(help_text="The quantity left in stock.")


def _shortages() -> serializers.ListSerializer[Any]:
    return serializers.ListSerializer(
        child=ShortageSerializer(),
        required=False,
        help_text="Present when code is `insufficient_stock`: every line that cannot be served.",
    )


class OrderValidationErrorSerializer(ValidationErrorSerializer):
    """A 400 from placing an order: field errors, or the stock shortages validation saw."""

    shortages = _shortages()


class OrderConflictSerializer(ErrorSerializer):
    """A 409 from placing an order: the stock ran out after validation, or a conflict."""

    shortages = _shortages()


RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    response=[429, 503],
    required=True,
    description="Seconds to wait before trying again.",
)

_ERRORS: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(
        ValidationErrorSerializer,
        description="Malformed input: `invalid` (with `errors` per field) or `parse_error`.",
    ),
    401: OpenApiResponse(
        ErrorSerializer, description="No credentials, or a revoked token (`not_authenticated`)."
    ),
    403: OpenApiResponse(ErrorSerializer, description="Not allowed (`permission_denied`)."),
    404: OpenApiResponse(
        ErrorSerializer, description="No such resource, or not yours (`not_found`)."
    ),
    409: OpenApiResponse(ErrorSerializer, description="Conflicts with the current state."),
    413: OpenApiResponse(ErrorSerializer, description="The body is too large."),
    415: OpenApiResponse(ErrorSerializer, description="The body is not JSON."),
    422: OpenApiResponse(ErrorSerializer, description="Well-formed but not processable."),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests (`throttled`)."),
    503: OpenApiResponse(
        ErrorSerializer,
        description=(
            "Briefly unavailable (`service_unavailable`): the rate limiter (Redis) or the "
            "database cannot be reached. Nothing was saved; retry after `Retry-After` seconds."
        ),
    ),
}


def error_responses(*statuses: int, **overrides: OpenApiResponse) -> dict[int, OpenApiResponse]:
    """The documented error responses for ``statuses``; ``overrides`` (``_409=...``) replace one."""
    responses = {code: _ERRORS[code] for code in statuses}
    for name, response in overrides.items():
        responses[int(name.lstrip("_"))] = response
    return responses
