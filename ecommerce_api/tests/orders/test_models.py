from decimal import Decimal

import pytest
from django.db import IntegrityError

from orders.models import IdempotencyRecord, Order
from tests.factories import OrderFactory, OrderLineFactory

pytestmark = pytest.mark.django_db


def test_line_total_is_unit_price_times_quantity():
    line = OrderLineFactory.build(unit_price=Decimal("2.35"), quantity=3)

    assert line.line_total == Decimal("7.05")


def test_owned_by_returns_only_the_customers_orders(user, other_user):
    mine = OrderFactory(customer=user)
    OrderFactory(customer=other_user)

    assert list(Order.objects.owned_by(user)) == [mine]


def test_orders_are_listed_newest_first(user):
    older, newer = OrderFactory(customer=user), OrderFactory(customer=user)

    assert list(Order.objects.owned_by(user)) == [newer, older]


@pytest.mark.parametrize(
    ("status", "cancellable"), [(Order.Status.PLACED, True), (Order.Status.CANCELLED, False)]
)
def test_only_placed_orders_are_cancellable(status, cancellable):
    assert Order(status=status).is_cancellable is cancellable


def test_database_refuses_a_line_without_quantity():
    with pytest.raises(IntegrityError):
        OrderLineFactory(quantity=0)


def test_database_refuses_the_same_product_twice_in_an_order():
    line = OrderLineFactory()

    with pytest.raises(IntegrityError):
        OrderLineFactory(order=line.order, product=line.product)


def test_database_refuses_an_unknown_status():
    with pytest.raises(IntegrityError):
        OrderFactory(status="lost")


def test_str_names_the_order_and_the_line():
    line = OrderLineFactory(quantity=2, product_name="Kettle")

    assert str(line.order) == f"Order #{line.order.pk}"
    assert str(line) == "2 x Kettle"


def test_an_idempotency_record_reads_as_its_key():
    assert str(IdempotencyRecord(key="4b9a0c1e")) == "4b9a0c1e"
