"""factory-boy factories for the shop's models (users come from shared.factories)."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from shared.factories import UserFactory
from shared.images import make_image

from catalog.models import Category, Product, ProductImage
from orders.models import Order, OrderLine


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    category = factory.SubFactory(CategoryFactory)
    name = factory.Sequence(lambda n: f"Product {n}")
    slug = factory.Sequence(lambda n: f"product-{n}")
    description = "A fine product."
    price = Decimal("10.00")
    stock = 10
    is_active = True


class ProductImageFactory(factory.django.DjangoModelFactory):
    """A photo saved as the admin saves one (already clean); its sizes are made on save."""

    class Meta:
        model = ProductImage

    product = factory.SubFactory(ProductFactory)
    image = factory.LazyFunction(
        lambda: ContentFile(make_image("WEBP", (64, 48)), name="photo.webp")
    )
    position = factory.Sequence(lambda n: n)


class OrderFactory(factory.django.DjangoModelFactory):
    """An order saved directly, with no stock taken: for reads (lists, query counts) only.
    Tests of placing and cancelling go through ``orders.services``."""

    class Meta:
        model = Order

    customer = factory.SubFactory(UserFactory)
    total = Decimal("20.00")


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    product = factory.SubFactory(ProductFactory)
    product_name = factory.LazyAttribute(lambda line: line.product.name)
    quantity = 2
    unit_price = Decimal("10.00")
