import pytest
from django.urls import reverse

from catalog.models import Product
from orders import lifecycle
from orders.models import Order
from orders.services import LineRequest, cancel_order, place_order
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
    cancel_order(order=already)

    response = superuser_client.post(
        CHANGELIST,
        {"action": "cancel_orders", "_selected_action": [placed.pk, already.pk]},
        follow=True,
    )

    assert b"1 order(s) now cancelled." in response.content
    assert f"Not cancelled (not allowed from their status): #{already.pk} (cancelled)." in (
        response.content.decode()
    )
    assert Order.objects.get(pk=placed.pk).status == Order.Status.CANCELLED
    assert Product.objects.get(pk=product.pk).stock == 5  # each restocked exactly once


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


@pytest.mark.parametrize(
    ("action", "status"),
    [("mark_paid", "paid"), ("mark_shipped", "shipped"), ("mark_delivered", "delivered")],
)
def test_each_action_moves_only_the_orders_that_may_take_the_step(
    superuser_client, superuser, user, action, status
):
    product = ProductFactory(stock=10)
    orders = [place_order(customer=user, lines=[LineRequest(product.pk, 1)]).order for _ in "ab"]
    path = {"paid": [], "shipped": ["paid"], "delivered": ["paid", "shipped"]}[status]
    for step in path:
        lifecycle.change_status(order=orders[0], to=step, actor=superuser)
    cancel_order(order=orders[1])

    response = superuser_client.post(
        CHANGELIST, {"action": action, "_selected_action": [o.pk for o in orders]}, follow=True
    )

    page = response.content.decode()
    assert f"1 order(s) now {status}." in page
    assert f"#{orders[1].pk} (cancelled)" in page
    moved = Order.objects.get(pk=orders[0].pk)
    assert moved.status == status
    assert [e.actor for e in moved.events.all()][-1] == superuser


def test_the_change_page_shows_the_history_and_no_editable_status(superuser_client, user):
    product = ProductFactory(stock=10)
    order = place_order(customer=user, lines=[LineRequest(product.pk, 1)]).order

    response = superuser_client.get(reverse("admin:orders_order_change", args=[order.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "History" in page
    assert 'name="status"' not in page


def test_an_illegal_step_from_the_admin_changes_nothing(superuser_client, user):
    product = ProductFactory(stock=10)
    order = place_order(customer=user, lines=[LineRequest(product.pk, 1)]).order

    response = superuser_client.post(
        CHANGELIST, {"action": "mark_delivered", "_selected_action": [order.pk]}, follow=True
    )

    assert f"Not delivered (not allowed from their status): #{order.pk} (placed)." in (
        response.content.decode()
    )
    assert Order.objects.get(pk=order.pk).status == Order.Status.PLACED
    assert order.events.count() == 1


@pytest.mark.parametrize("claimed", ["1", "1000", str(2**64)])
def test_a_crafted_row_count_builds_only_the_rows_that_exist(superuser_client, user, claimed):
    """The lines and the history are read-only: a POST that claims rows (without their ids, or
    more than exist) gets a form per existing row back, never a 500 nor 2,000 forms; a claimed
    line has no total to show (it was a 500)."""
    product = ProductFactory(stock=10)
    order = place_order(customer=user, lines=[LineRequest(product.pk, 1)]).order
    claims = {
        f"{inline}-{count}": claimed
        for inline in ("lines", "events")
        for count in ("TOTAL_FORMS", "INITIAL_FORMS")
    }

    response = superuser_client.post(reverse("admin:orders_order_change", args=[order.pk]), claims)

    assert response.status_code == 200
    built = {
        f.formset.prefix: len(f.formset.forms) for f in response.context["inline_admin_formsets"]
    }
    assert built == {"lines": 1, "events": order.events.count()}
