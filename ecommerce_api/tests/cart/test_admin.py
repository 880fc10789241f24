"""Staff see carts in the admin, for support, and change nothing."""

import pytest
from django.urls import reverse

from cart.models import Cart, CartLine
from cart.services import add_to_cart
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_staff_see_a_customers_cart_and_its_lines_read_only(superuser_client, user):
    add_to_cart(customer=user, product_id=ProductFactory(name="Kettle").pk, quantity=2)
    cart = Cart.objects.get()

    listing = superuser_client.get(reverse("admin:cart_cart_changelist"))
    page = superuser_client.get(reverse("admin:cart_cart_change", args=[cart.pk]))

    assert str(cart) in listing.content.decode()
    assert page.status_code == 200
    assert str(CartLine.objects.get()) == "2 x Kettle"
    assert b'name="_save"' not in page.content
    assert superuser_client.get(reverse("admin:cart_cart_add")).status_code == 403
