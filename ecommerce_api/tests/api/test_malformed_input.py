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


@pytest.mark.parametrize(
    "quantity",
    ["1_0", "\uff11", "1e2", 1.0, 1e2, True, "  3 ", "3", "3.0", None, [3], {"n": 3}],
    ids=[
        "underscore",
        "fullwidth-one",
        "exponent-string",
        "float-one",
        "float-exponent",
        "true",
        "padded-string",
        "digit-string",
        "decimal-string",
        "null",
        "list",
        "object",
    ],
)
def test_a_quantity_that_is_not_a_json_integer_is_a_400_on_the_field(
    token_client, product, quantity
):
    """One spelling: a JSON integer. DRF's IntegerField would have read every one of these
    except null, the list and the object (int("1_0") is ten, a fullwidth "1" is one, True is 1)."""
    body = {"items": [{"product": product.pk, "quantity": quantity}]}

    response = token_client.post(ORDERS_URL, body, format="json")

    assert response.status_code == 400, response.json()
    assert set(response.json()["errors"]["items"]["0"]) == {"quantity"}
    assert not Order.objects.exists()


@pytest.mark.parametrize("product_id", ["1", 1.0, True, "\uff11"])
def test_a_product_id_that_is_not_a_json_integer_is_a_400_on_the_field(token_client, product_id):
    ProductFactory(pk=1)

    response = token_client.post(
        ORDERS_URL, {"items": [{"product": product_id, "quantity": 1}]}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()["errors"]["items"]["0"]) == {"product"}


def test_the_largest_quantity_is_100(token_client):
    """The README's maximum quantity per line, as a literal."""
    product = ProductFactory(stock=500)

    at_most = token_client.post(
        ORDERS_URL, {"items": [{"product": product.pk, "quantity": 100}]}, format="json"
    )
    too_many = token_client.post(
        ORDERS_URL, {"items": [{"product": product.pk, "quantity": 101}]}, format="json"
    )

    assert at_most.status_code == 201
    assert too_many.status_code == 400
    assert too_many.json()["errors"]["items"]["0"] == {
        "quantity": ["Ensure this value is less than or equal to 100."]
    }


def test_an_order_has_at_most_50_lines(token_client):
    """The README's limit, as a literal (checked before any product is looked up)."""
    lines = [{"product": n, "quantity": 1} for n in range(1, 52)]

    response = token_client.post(ORDERS_URL, {"items": lines}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "items": {"non_field_errors": ["Ensure this field has no more than 50 elements."]}
    }


# Every endpoint that reads a body, with integers past 64 bits, floats, nested junk and huge
# strings where its fields are.
JUNK_VALUES = [
    2**64,
    -(2**63) - 1,
    10**30,
    1e308,
    -0.0,
    {"a": [{"b": None}]},
    [[[]]],
    "x" * 100_000,
]


@pytest.mark.parametrize("junk", JUNK_VALUES)
@pytest.mark.parametrize("field", ["username", "password"])
def test_junk_credentials_are_a_400(api_client, user, field, junk):
    body = {"username": user.username, "password": "wrong", field: junk}

    response = api_client.post(reverse("auth-token"), body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


@pytest.mark.parametrize("junk", JUNK_VALUES)
@pytest.mark.parametrize("field", ["product", "quantity"])
def test_junk_order_lines_are_a_400(token_client, product, field, junk):
    line = {"product": product.pk, "quantity": 1, field: junk}

    response = token_client.post(ORDERS_URL, {"items": [line]}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


@pytest.mark.parametrize("junk", [*JUNK_VALUES, "{not json"])
def test_a_body_sent_to_cancel_is_ignored(token_client, user, product, junk):
    from orders.services import LineRequest, place_order

    order = place_order(customer=user, lines=[LineRequest(product.pk, 1)]).order

    response = token_client.post(
        reverse("order-cancel", args=[order.pk]), {"junk": junk}, format="json"
    )

    assert response.status_code == 200


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
