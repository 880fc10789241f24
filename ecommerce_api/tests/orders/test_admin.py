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


@pytest.mark.parametrize(
    "query",
    [
        "created_at__year=99999999999999999999",  # OverflowError in datetime()
        "created_at__year=9999",  # the year after is past datetime's last
        "created_at__year=2024&created_at__month=1&created_at__day=99999999999999999999",
        "created_at__year=2024&created_at__month=13",
        "created_at__year=2024&created_at__month=2&created_at__day=31",
        "created_at__year=1e309",
        "status__exact=a%00b",  # PostgreSQL refuses a NUL byte in text
    ],
)
def test_an_impossible_date_or_filter_is_the_admins_invalid_lookup_not_a_500(
    superuser_client, query
):
    OrderLineFactory()

    response = superuser_client.get(f"{CHANGELIST}?{query}")

    assert response.status_code == 302
    assert response["Location"] == f"{CHANGELIST}?e=1"


def test_the_date_hierarchy_still_narrows_the_list(superuser_client):
    order = OrderLineFactory().order
    year = order.created_at.year

    shown = superuser_client.get(f"{CHANGELIST}?created_at__year={year}")
    empty = superuser_client.get(f"{CHANGELIST}?created_at__year={year - 1}")

    assert str(order).encode() in shown.content
    assert str(order).encode() not in empty.content
