import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from rest_framework import exceptions
from rest_framework.response import Response

from config.api_errors import ApiError, exception_handler, server_error


def _handle(exc: Exception) -> Response:
    response = exception_handler(exc, {})
    assert response is not None
    return response


def test_a_django_permission_error_gets_the_error_shape():
    response = _handle(PermissionDenied("No."))

    assert response.status_code == 403
    assert response.data == {"code": "permission_denied", "detail": "No."}


def test_a_validation_error_that_is_a_list_is_reported_as_non_field_errors():
    response = _handle(exceptions.ValidationError(["Bad."]))

    assert response.status_code == 400
    assert response.data["errors"] == {"non_field_errors": ["Bad."]}


def test_extra_fields_keep_their_types():
    error = ApiError("Nope.", code="nope", extra={"left": 3})

    assert _handle(error).data == {"code": "nope", "detail": "Nope.", "left": 3}


def test_an_unexpected_exception_is_left_to_django():
    assert exception_handler(ZeroDivisionError(), {}) is None


def test_the_500_page_is_json_and_needs_nothing():
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert json.loads(response.content)["code"] == "server_error"


@pytest.mark.django_db
def test_an_unexpected_error_in_a_view_is_a_json_500(client, monkeypatch):
    def explode(*args, **kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr("catalog.views.ProductViewSet.list", explode)
    client.raise_request_exception = False

    response = client.get("/api/products/")

    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
