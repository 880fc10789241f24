"""Product photos in the API: absolute URLs of each size, primary first, then by position."""

import pytest
from django.urls import reverse

from tests.factories import ProductFactory, ProductImageFactory

pytestmark = pytest.mark.django_db


def test_a_product_lists_its_photos_primary_first_with_an_absolute_url_per_size(api_client):
    product = ProductFactory(name="Kettle")
    side = ProductImageFactory(product=product, position=0, alt_text="Side view")
    front = ProductImageFactory(product=product, position=5, is_primary=True)
    back = ProductImageFactory(product=product, position=2, alt_text="Back")

    images = api_client.get(reverse("product-detail", args=[product.pk])).json()["images"]

    assert [image["id"] for image in images] == [front.pk, side.pk, back.pk]
    assert [image["is_primary"] for image in images] == [True, False, False]
    assert images[0]["alt"] == "Kettle"  # no text alternative given: the product's name
    assert images[1]["alt"] == "Side view"
    for image, stored in zip(images, [front, side, back], strict=True):
        for size in ("thumbnail", "card", "full"):
            assert image[size] == f"http://testserver/media/{getattr(stored, size).name}"


def test_without_a_marked_primary_the_first_by_position_is_primary(api_client):
    product = ProductFactory()
    later = ProductImageFactory(product=product, position=2)
    first = ProductImageFactory(product=product, position=1)

    images = api_client.get(reverse("product-detail", args=[product.pk])).json()["images"]

    assert [(image["id"], image["is_primary"]) for image in images] == [
        (first.pk, True),
        (later.pk, False),
    ]


def test_the_list_shows_each_products_photos(api_client):
    product = ProductImageFactory().product

    body = api_client.get(reverse("product-list")).json()

    (listed,) = body["results"]
    assert listed["id"] == product.pk
    assert listed["images"][0]["thumbnail"].startswith("http://testserver/media/CACHE/")


def test_reading_photos_writes_nothing_to_the_storage(api_client, monkeypatch):
    """The sizes were made when the photo was saved; a GET only builds their URLs."""
    product = ProductImageFactory().product
    from django.core.files.storage import FileSystemStorage

    def refuse(*args, **kwargs):
        raise AssertionError("a GET touched the storage")

    for method in ("save", "exists", "open", "delete"):
        monkeypatch.setattr(FileSystemStorage, method, refuse)

    assert api_client.get(reverse("product-detail", args=[product.pk])).status_code == 200
    assert api_client.get(reverse("product-list")).status_code == 200
