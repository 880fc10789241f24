from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.db.models import F

from catalog.filters import ORDERINGS
from catalog.models import Product
from tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_database_refuses_negative_stock():
    product = ProductFactory(stock=1)

    with pytest.raises(IntegrityError):
        Product.objects.filter(pk=product.pk).update(stock=F("stock") - 2)


def test_database_refuses_a_negative_price():
    with pytest.raises(IntegrityError):
        ProductFactory(price=Decimal("-0.01"))


def test_validation_refuses_negative_stock():
    product = ProductFactory.build(category=CategoryFactory(), stock=-1)

    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        product.full_clean()


def test_product_slugs_are_unique():
    ProductFactory(slug="phone")

    with pytest.raises(IntegrityError):
        ProductFactory(slug="phone")


def test_category_slugs_are_unique_with_a_readable_message():
    CategoryFactory(slug="phones")
    duplicate = CategoryFactory.build(slug="phones")

    with pytest.raises(ValidationError, match="A category with this slug already exists"):
        duplicate.full_clean()


def test_price_is_an_exact_decimal():
    product = ProductFactory(price=Decimal("19.99"))
    product.refresh_from_db()

    assert product.price == Decimal("19.99")


@pytest.mark.parametrize(("stock", "in_stock"), [(0, False), (1, True)])
def test_in_stock_means_at_least_one_unit(stock, in_stock):
    assert ProductFactory.build(stock=stock).in_stock is in_stock


def test_active_excludes_inactive_products():
    active = ProductFactory()
    ProductFactory(is_active=False)

    assert list(Product.objects.active()) == [active]


def test_in_stock_and_out_of_stock_split_the_catalogue():
    available = ProductFactory(stock=3)
    sold_out = ProductFactory(stock=0)

    assert list(Product.objects.in_stock()) == [available]
    assert list(Product.objects.out_of_stock()) == [sold_out]


def test_search_matches_name_or_description_ignoring_case():
    by_name = ProductFactory(name="Blue Kettle")
    by_description = ProductFactory(description="Boils water, blue finish")
    ProductFactory(name="Red Toaster", description="Toasts")

    assert set(Product.objects.search("BLUE")) == {by_name, by_description}


def test_str_is_the_name():
    category = CategoryFactory.build(name="Phones")

    assert str(category) == "Phones"
    assert str(ProductFactory.build(name="Pixel", category=category)) == "Pixel"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan")
@pytest.mark.parametrize("ordering", list(ORDERINGS))
def test_every_public_sort_order_reads_an_index_instead_of_sorting(ordering):
    page = Product.objects.active().select_related("category").order_by(*ORDERINGS[ordering])[:20]
    sql, params = page.query.sql_with_params()

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " / ".join(row[3] for row in cursor.fetchall())

    assert "USING INDEX product_active_" in plan
    assert "TEMP B-TREE" not in plan
