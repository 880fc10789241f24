"""One error shape for the whole API, and the exceptions that need more than DRF offers.

Every error response is ``{"code": ..., "detail": ...}``; validation errors add ``errors``
(DRF's field-by-field messages) and the stock error adds ``shortages``. Clients branch on
``code``, never on the English ``detail``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)


class ApiError(exceptions.APIException):
    """An API error whose body carries machine-readable fields next to ``code`` and ``detail``.

    DRF turns every value of an exception's ``detail`` into a string; ``extra`` is copied into
    the body as it is, so numbers stay numbers.
    """

    def __init__(
        self,
        detail: str | None = None,
        code: str | None = None,
        *,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail, code)
        self.extra = dict(extra or {})


class Conflict(ApiError):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"


class UnprocessableContent(ApiError):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "The request is well-formed but cannot be processed."
    default_code = "unprocessable"


class RequestTooLarge(ApiError):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "request_too_large"


class LockedOut(ApiError):
    """Too many failed password checks for this username or from this address (django-axes).

    A 429 like a throttle, with ``Retry-After`` (DRF's handler sets it from ``wait``), but its own
    code: waiting is the only way back in, and a client may tell its user so.
    """

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = "Too many failed logins; try again later."
    default_code = "locked_out"

    def __init__(self, *, wait: int) -> None:
        super().__init__(
            f"Too many failed logins; try again in {wait // 60} minutes.", self.default_code
        )
        self.wait = wait


#: Seconds a client is asked to wait (``Retry-After``) when a dependency is briefly away.
RETRY_AFTER_SECONDS = 30


class ServiceUnavailable(ApiError):
    """A dependency the request needs is unreachable for the moment (a 503 with
    ``Retry-After``): the database, or Redis for an endpoint that must not run unthrottled."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The service is briefly unavailable; try again in a moment."
    default_code = "service_unavailable"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail, self.default_code)
        self.wait = RETRY_AFTER_SECONDS


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus: ``IntegrityError`` is a 409 (never a 500), a body over
    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is a 413, and every error has the one shape."""
    if isinstance(exc, IntegrityError):
        # The database refused a write the validation let through (a race, or a constraint the
        # serializer does not know). The client can retry; the details stay in the log.
        logger.warning("Integrity error answered with 409: %s", exc)
        exc = Conflict("The request conflicts with data saved meanwhile; please retry.")
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)

    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    response.data = error_body(exc, response.data)
    return response


def error_body(exc: exceptions.APIException, data: Any) -> dict[str, Any]:
    if isinstance(exc, exceptions.ValidationError):
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        return {
            "code": "invalid",
            "detail": "The request is invalid; see errors.",
            "errors": errors,
        }
    detail = exc.detail
    code = getattr(detail, "code", None) or exc.default_code
    body = {"code": str(code), "detail": str(detail)}
    body.update(getattr(exc, "extra", {}))
    return body


def csrf_failure(request: HttpRequest, reason: str = "") -> JsonResponse:
    """Django's CSRF refusal (``CSRF_FAILURE_VIEW``) in the API's error shape. Django's own page
    carries an inline ``<style>``, which the Content-Security-Policy forbids."""
    return JsonResponse(
        {
            "code": "csrf_failed",
            "detail": f"CSRF verification failed: {reason or 'the request was refused'}. "
            "Reload the page and try again.",
        },
        status=403,
    )


def page_not_found(request: HttpRequest, exception: Exception) -> JsonResponse:
    """Django's 404 for URLs outside the API's views, in the API's error shape."""
    return JsonResponse({"code": "not_found", "detail": "Not found."}, status=404)


def server_error(request: HttpRequest) -> JsonResponse:
    """The last resort, in the API's error shape; it needs no template and no database."""
    return JsonResponse(
        {"code": "server_error", "detail": "An unexpected error occurred; it has been logged."},
        status=500,
    )
