import pytest

from config.fields import MAX_LINES, MAX_QUANTITY
from orders.exceptions import Shortage
from orders.serializers import OrderCreateSerializer, OrderSerializer
from orders.services import LineRequest
from tests.factories import OrderLineFactory, ProductFactory

pytestmark = pytest.mark.django_db


def _errors(data):
    serializer = OrderCreateSerializer(data=data)
    assert not serializer.is_valid()
    return serializer.errors


def test_a_valid_order_becomes_line_requests():
    product = ProductFactory(stock=5)
    serializer = OrderCreateSerializer(data={"items": [{"product": product.pk, "quantity": 2}]})

    assert serializer.is_valid(), serializer.errors
    assert serializer.line_requests() == [LineRequest(product.pk, 2)]


def test_prices_sent_by_the_client_are_ignored():
    product = ProductFactory()
    serializer = OrderCreateSerializer(
        data={"items": [{"product": product.pk, "quantity": 1, "unit_price": "0.01"}], "total": 0}
    )

    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data == {"items": [{"product": product.pk, "quantity": 1}]}


def test_items_are_required():
    assert _errors({})["items"][0].code == "required"


def test_an_order_needs_at_least_one_line():
    assert _errors({"items": []})["items"]["non_field_errors"][0].code == "empty"


def test_an_order_has_at_most_a_sane_number_of_lines():
    products = ProductFactory.create_batch(MAX_LINES + 1)
    items = [{"product": product.pk, "quantity": 1} for product in products]

    assert _errors({"items": items})["items"]["non_field_errors"][0].code == "max_length"


@pytest.mark.parametrize(
    ("quantity", "code"),
    [(0, "min_value"), (-1, "min_value"), (MAX_QUANTITY + 1, "max_value"), (1.5, "invalid")],
)
def test_quantity_is_a_positive_integer_within_the_maximum(quantity, code):
    product = ProductFactory(stock=1000)

    errors = _errors({"items": [{"product": product.pk, "quantity": quantity}]})

    assert errors["items"][0]["quantity"][0].code == code


def test_an_unknown_product_is_refused_on_its_line():
    product = ProductFactory()

    errors = _errors(
        {"items": [{"product": product.pk, "quantity": 1}, {"product": 999_999, "quantity": 1}]}
    )

    assert list(errors["items"]) == [1]
    assert "999999" in errors["items"][1]["product"][0]


def test_an_inactive_product_is_refused():
    product = ProductFactory(is_active=False)

    errors = _errors({"items": [{"product": product.pk, "quantity": 1}]})

    assert "is for sale" in errors["items"][0]["product"][0]


def test_the_same_product_twice_is_refused_not_merged():
    product = ProductFactory(stock=10)

    errors = _errors(
        {"items": [{"product": product.pk, "quantity": 1}, {"product": product.pk, "quantity": 2}]}
    )

    assert list(errors["items"]) == [1]
    assert "list it once" in errors["items"][1]["product"][0]


def _short_order():
    short = ProductFactory(stock=1)
    fine = ProductFactory(stock=5)
    empty = ProductFactory(stock=0)
    serializer = OrderCreateSerializer(
        data={
            "items": [
                {"product": short.pk, "quantity": 2},
                {"product": fine.pk, "quantity": 5},
                {"product": empty.pk, "quantity": 1},
            ]
        }
    )
    return serializer, short, empty


def test_not_enough_stock_is_a_validation_error_per_short_line():
    serializer, short, empty = _short_order()

    assert not serializer.is_valid()

    messages = serializer.errors["items"]
    assert [message.code for message in messages] == ["insufficient_stock"] * 2
    assert messages == [
        f"Product {short.pk}: 2 requested, 1 available.",
        f"Product {empty.pk}: 1 requested, 0 available.",
    ]


def test_not_enough_stock_keeps_every_short_line_as_numbers():
    serializer, short, empty = _short_order()

    serializer.is_valid()

    assert serializer.shortages == (Shortage(short.pk, 2, 1), Shortage(empty.pk, 1, 0))


def test_a_valid_order_has_no_shortages():
    product = ProductFactory(stock=5)
    serializer = OrderCreateSerializer(data={"items": [{"product": product.pk, "quantity": 5}]})

    assert serializer.is_valid(), serializer.errors
    assert serializer.shortages == ()


def test_line_errors_are_reported_before_stock_is_checked():
    empty = ProductFactory(stock=0)

    errors = _errors(
        {"items": [{"product": empty.pk, "quantity": 1}, {"product": 0, "quantity": 1}]}
    )

    assert errors["items"][1]["product"][0].code == "min_value"


def test_an_order_is_shown_with_its_lines_and_totals():
    line = OrderLineFactory(quantity=3, unit_price="2.50", order__total="7.50")

    data = OrderSerializer(line.order).data

    assert data["status"] == "placed"
    assert data["total"] == "7.50"
    assert data["items"] == [
        {
            "product": line.product_id,
            "product_name": line.product_name,
            "quantity": 3,
            "unit_price": "2.50",
            "line_total": "7.50",
        }
    ]
