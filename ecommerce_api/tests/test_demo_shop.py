"""The demo shows the catalogue's photos and a customer's cart (demo/shop_photos.py)."""

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token

from cart.models import CartLine
from catalog.models import Product, ProductImage

pytestmark = pytest.mark.django_db


def test_the_first_ten_products_by_name_have_photos_in_every_size():
    call_command("load_demo_data", stdout=None)

    first_ten = Product.objects.active().order_by("name", "id")[:10]
    assert set(ProductImage.objects.values_list("product", flat=True)) == {p.pk for p in first_ten}
    image = ProductImage.objects.filter(product__slug="aero-13").first()
    assert image is not None
    assert image.is_primary
    assert ProductImage.objects.filter(product__slug="aero-13").count() == 2
    for size in ProductImage.SIZES:
        assert default_storage.exists(getattr(image, size).name)


def test_the_demo_customer_has_a_cart_the_api_shows(api_client):
    call_command("load_demo_data", stdout=None)
    token = Token.objects.get(user__username="customer")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    cart = api_client.get(reverse("cart")).json()

    assert {line["product_name"] for line in cart["items"]} == {
        "Buds Pro",
        "Orbit Fold",
        "USB-C Cable 1 m",
    }


def test_loading_again_makes_no_second_photo_or_cart_line():
    call_command("load_demo_data", stdout=None)
    counts = (ProductImage.objects.count(), CartLine.objects.count())

    call_command("load_demo_data", stdout=None)

    assert (ProductImage.objects.count(), CartLine.objects.count()) == counts
