"""No input, however malformed, is answered with a 500."""

import pytest
from django.urls import reverse

from orders.models import Order
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

ORDERS_URL = reverse("order-list")
PRODUCTS_URL = reverse("product-list")


@pytest.fixture
def product():
    return ProductFactory(stock=5)


@pytest.mark.parametrize(
    "raw_body",
    [
        "{not json",
        '{"items": [{"product": 1, "quantity": 1}',
        "",
        "NaN",
        '{"items": [{"product": 1, "quantity": Infinity}]}',
        "[" * 100_000,
        '{"items": ' + "[" * 5_000 + "]" * 5_000 + "}",
        "\udcff",
    ],
    ids=["broken", "truncated", "empty", "nan", "infinity", "deep", "deep-items", "bad-utf8"],
)
def test_broken_json_is_400(token_client, raw_body):
    body = raw_body.encode("utf-8", "surrogateescape")

    response = token_client.post(ORDERS_URL, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] in {"parse_error", "invalid"}


@pytest.mark.parametrize(
    "body",
    [
        [],
        ["items"],
        "items",
        42,
        None,
        {"items": "all of them"},
        {"items": {"product": 1}},
        {"items": [1, 2, 3]},
        {"items": [None]},
        {"items": [{"product": "one", "quantity": 1}]},
        {"items": [{"product": 1.5, "quantity": 1}]},
        {"items": [{"product": True, "quantity": 1}]},
        {"items": [{"product": [1], "quantity": 1}]},
        {"items": [{"product": {"id": 1}, "quantity": 1}]},
        {"items": [{"product": 10**30, "quantity": 1}]},
        {"items": [{"product": -(10**30), "quantity": 1}]},
        {"items": [{"product": 2**63, "quantity": 1}]},
        {"items": [{"product": 1, "quantity": 10**30}]},
        {"items": [{"product": 1, "quantity": 1e308}]},
        {"items": [{"product": 1, "quantity": "1\x00"}]},
        {"items": [{"product": "\x00", "quantity": 1}]},
        {"items": [{"quantity": 1}]},
        {"items": [{"product": 1}]},
    ],
)
def test_wrong_types_and_huge_numbers_are_400(token_client, body):
    response = token_client.post(ORDERS_URL, body, format="json")

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    assert not Order.objects.exists()


def test_unknown_fields_are_ignored(token_client, product):
    body = {"items": [{"product": product.pk, "quantity": 1, "colour": "red\x00"}], "coupon": "X"}

    response = token_client.post(ORDERS_URL, body, format="json")

    assert response.status_code == 201


def test_nul_bytes_in_the_key_header_are_400(token_client, product):
    response = token_client.post(
        ORDERS_URL,
        {"items": [{"product": product.pk, "quantity": 1}]},
        format="json",
        HTTP_IDEMPOTENCY_KEY="key\x00",
    )

    assert response.status_code == 400


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", "items"),
        ("application/xml", "<items/>"),
        ("multipart/form-data; boundary=x", "--x--"),
        ("application/x-www-form-urlencoded", "items=1"),
    ],
)
def test_a_body_that_is_not_json_is_415(token_client, content_type, body):
    response = token_client.post(ORDERS_URL, body, content_type=content_type)

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_a_body_over_the_size_limit_is_413(token_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000

    response = token_client.post(
        ORDERS_URL,
        '{"items": [], "padding": "' + "x" * 2_000 + '"}',
        content_type="application/json",
    )

    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


@pytest.mark.parametrize(
    "query",
    [
        "search=%00",
        "category=%00",
        "ordering=%00",
        "min_price=%00",
        "max_price=1%00",
        "in_stock=%00",
        "page=%00",
        "page_size=%00",
        "search=%ff%fe",
        "min_price=99999999999999999999999999999",
        "page=99999999999999999999999",
        "page_size=-5",
        "in_stock=maybe",
        "category=" + "x" * 5000,
        "unknown=1",
    ],
)
def test_odd_query_strings_never_give_a_server_error(api_client, product, query):
    response = api_client.get(f"{PRODUCTS_URL}?{query}")

    assert response.status_code in {200, 400, 404}
    assert response.json()["code" if response.status_code != 200 else "count"] is not None


@pytest.mark.parametrize("query", ["search=%00", "category=%00", "ordering=%00", "min_price=%00"])
def test_nul_bytes_in_filters_are_400(api_client, query):
    assert api_client.get(f"{PRODUCTS_URL}?{query}").status_code == 400


@pytest.mark.parametrize(
    "path",
    ["/api/products/%00/", "/api/orders/1%00/", "/api/nowhere/", "/api/orders/1/cancel/%00"],
)
def test_unknown_urls_are_a_json_404(token_client, path):
    response = token_client.get(path)

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Not found."}


def test_an_unsupported_method_is_405(token_client):
    response = token_client.put(ORDERS_URL, {}, format="json")

    assert response.status_code == 405
