"""What the demo data shows; that it loads, logs every account in and loads again unchanged is
the shared contract's (tests/test_contract.py, ``TestDemoData``)."""

from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from catalog.models import Category, Product

pytestmark = pytest.mark.django_db


def test_demo_data_has_a_catalogue_with_sold_out_and_hidden_products():
    call_command("load_demo_data")

    products = Product.objects.all()
    assert Category.objects.count() == 5
    assert 45 <= products.count() <= 55
    assert products.active().out_of_stock().exists()
    assert products.active().in_stock().count() > 30
    assert products.filter(is_active=False).exists()


def test_demo_command_prints_the_customers_api_token():
    out = StringIO()

    call_command("load_demo_data", stdout=out)

    token = Token.objects.get(user__username="customer")
    assert f"API token of customer: {token.key}" in out.getvalue()


def test_the_demo_token_survives_a_second_load():
    call_command("load_demo_data")
    key = Token.objects.get(user__username="customer").key

    call_command("load_demo_data")

    assert Token.objects.get(user__username="customer").key == key


def test_reloading_demo_data_keeps_stock_changed_by_orders():
    call_command("load_demo_data")
    Product.objects.filter(slug="buds-pro").update(stock=1)

    call_command("load_demo_data")

    assert Product.objects.get(slug="buds-pro").stock == 1


def test_the_demo_customer_has_orders_in_every_state_with_their_history_and_alerts():
    call_command("load_demo_data")

    from alerts.models import StockAlert
    from orders.models import Order, OrderEvent

    orders = Order.objects.filter(customer__username="customer")
    assert sorted(orders.values_list("status", flat=True)) == [
        "cancelled",
        "delivered",
        "paid",
        "placed",
        "shipped",
    ]
    delivered = orders.get(status="delivered")
    assert [e.status for e in delivered.events.all()] == ["placed", "paid", "shipped", "delivered"]
    assert OrderEvent.objects.filter(status="paid", actor__username="admin").count() == 3
    assert sorted(
        StockAlert.objects.filter(user__username="customer").values_list("product__slug", flat=True)
    ) == ["nimbus-mini", "studio-headphones-wireless"]


def test_a_second_load_places_no_more_demo_orders():
    call_command("load_demo_data")
    from orders.models import Order

    call_command("load_demo_data")

    assert Order.objects.count() == 5
