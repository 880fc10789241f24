import pytest
from django.urls import reverse

from catalog.models import Product
from tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:catalog_product_changelist")


def test_the_product_list_shows_stock_and_category(superuser_client):
    ProductFactory(name="Kettle", category=CategoryFactory(name="Kitchen"), stock=0)

    response = superuser_client.get(CHANGELIST)

    assert response.status_code == 200
    assert b"Kettle" in response.content
    assert b"Kitchen" in response.content


@pytest.mark.parametrize(
    ("status", "shown", "hidden"),
    [("in", "Available", "Sold out"), ("out", "Sold out", "Available")],
)
def test_the_product_list_filters_by_stock(superuser_client, status, shown, hidden):
    ProductFactory(name="Available", stock=3)
    ProductFactory(name="Sold out", stock=0)

    response = superuser_client.get(CHANGELIST, {"stock_status": status})

    names = [product.name for product in response.context["cl"].result_list]
    assert names == [shown]


def test_the_product_list_filters_by_category(superuser_client):
    kitchen = CategoryFactory()
    ProductFactory(name="Kettle", category=kitchen)
    ProductFactory(name="Phone")

    response = superuser_client.get(CHANGELIST, {"category__id__exact": kitchen.pk})

    assert [product.name for product in response.context["cl"].result_list] == ["Kettle"]


def test_the_product_list_searches_names(superuser_client):
    ProductFactory(name="Blue kettle")
    ProductFactory(name="Toaster")

    response = superuser_client.get(CHANGELIST, {"q": "kettle"})

    assert [product.name for product in response.context["cl"].result_list] == ["Blue kettle"]


def test_the_product_list_offers_both_stock_filters(superuser_client):
    response = superuser_client.get(CHANGELIST)

    assert b"In stock" in response.content
    assert b"Out of stock" in response.content


def test_the_category_list_counts_products(superuser_client):
    ProductFactory.create_batch(2, category=CategoryFactory(name="Kitchen"))

    response = superuser_client.get(reverse("admin:catalog_category_changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_list[0].product_count == 2


def test_the_product_form_opens(superuser_client):
    product = ProductFactory()

    response = superuser_client.get(reverse("admin:catalog_product_change", args=[product.pk]))

    assert response.status_code == 200


def test_ordinary_users_are_kept_out_of_the_admin(user_client):
    response = user_client.get(CHANGELIST)

    assert response.status_code == 302


def test_a_product_name_on_two_lines_is_refused_by_the_admin_form(superuser_client):
    category = CategoryFactory()

    response = superuser_client.post(
        reverse("admin:catalog_product_add"),
        {
            "category": category.pk,
            "name": "Kettle\r\nBcc: everyone@example.com",
            "slug": "kettle",
            "description": "",
            "price": "10.00",
            "stock": "3",
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert "control characters (found U+000D)" in response.content.decode()
    assert not Product.objects.exists()
