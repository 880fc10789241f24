import pytest
from django.urls import reverse

from catalog.models import Product
from orders.models import Order
from orders.services import LineRequest, place_order
from tests.factories import OrderLineFactory, ProductFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:orders_order_changelist")


def test_the_order_list_and_page_open(superuser_client):
    order = OrderLineFactory().order

    assert superuser_client.get(CHANGELIST).status_code == 200
    response = superuser_client.get(reverse("admin:orders_order_change", args=[order.pk]))
    assert response.status_code == 200
    assert order.lines.get().product_name.encode() in response.content


def test_orders_cannot_be_added_or_deleted_in_the_admin(superuser_client):
    order = OrderLineFactory().order

    assert superuser_client.get(reverse("admin:orders_order_add")).status_code == 403
    assert (
        superuser_client.get(reverse("admin:orders_order_delete", args=[order.pk])).status_code
        == 403
    )


def test_the_cancel_action_restocks_placed_orders_once(superuser_client, user):
    product = ProductFactory(stock=5)
    placed = place_order(customer=user, lines=[LineRequest(product.pk, 2)]).order
    already = place_order(customer=user, lines=[LineRequest(product.pk, 1)]).order
    already.status = Order.Status.CANCELLED
    already.save()

    response = superuser_client.post(
        CHANGELIST,
        {"action": "cancel_orders", "_selected_action": [placed.pk, already.pk]},
        follow=True,
    )

    assert b"Cancelled 1 order(s)." in response.content
    assert Order.objects.get(pk=placed.pk).status == Order.Status.CANCELLED
    assert Product.objects.get(pk=product.pk).stock == 4  # the other one was never restocked
