from decimal import Decimal

import pytest

from catalog.models import Product
from catalog.serializers import ProductSerializer
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("price", "stock"), [("0.00", 0), ("9.50", 1), ("24.90", 3), ("99999999.99", 100)]
)
def test_the_hand_built_product_equals_what_drf_would_build_from_the_fields(price, stock):
    product = ProductFactory(price=Decimal(price), stock=stock, description="Fits <b>any</b> hob")
    row = Product.objects.for_display().get(pk=product.pk)
    serializer = ProductSerializer(row)  # type: ignore[arg-type]  # a row, as the views give it

    generic = super(ProductSerializer, serializer).to_representation(product)

    assert serializer.data == generic
    assert list(serializer.data) == list(generic)
