"""Staff upload product photos in the product's admin page; only clean re-encodings reach the
storage, each with its three sizes, and a refused file leaves nothing behind."""

import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image
from shared.hostile_images import refused_uploads
from shared.images import make_uploaded_image

from catalog.models import ProductImage
from tests.factories import ProductFactory, ProductImageFactory

pytestmark = pytest.mark.django_db

PREFIX = "images"


def _change_url(product):
    return reverse("admin:catalog_product_change", args=[product.pk])


def _product_form(product, *photos, existing=()):
    """The change form's data: the product's fields as they are, and one inline row each."""
    data = {
        "category": product.category_id,
        "name": product.name,
        "slug": product.slug,
        "description": product.description,
        "price": str(product.price),
        "stock": product.stock,
        "is_active": "on",
        f"{PREFIX}-TOTAL_FORMS": len(existing) + len(photos),
        f"{PREFIX}-INITIAL_FORMS": len(existing),
        f"{PREFIX}-MIN_NUM_FORMS": 0,
        f"{PREFIX}-MAX_NUM_FORMS": 1000,
    }
    rows = [*existing, *photos]
    for index, row in enumerate(rows):
        for field, value in row.items():
            data[f"{PREFIX}-{index}-{field}"] = value
        data[f"{PREFIX}-{index}-product"] = product.pk
    return data


def _stored_files():
    def walk(folder):
        folders, files = default_storage.listdir(folder)
        yield from (f"{folder}/{name}".lstrip("/") for name in files)
        for sub in folders:
            yield from walk(f"{folder}/{sub}".lstrip("/"))

    return sorted(walk(""))


def test_staff_upload_a_photo_which_is_stored_clean_with_its_three_sizes(superuser_client):
    product = ProductFactory()
    upload = make_uploaded_image("holiday.jpg", fmt="JPEG", size=(2400, 1800), gps=True)

    response = superuser_client.post(
        _change_url(product),
        _product_form(product, {"upload": upload, "alt_text": "A kettle", "position": 0}),
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    image = ProductImage.objects.get()
    assert image.image.name.startswith("products/")
    assert image.image.name.endswith(".webp")
    assert "holiday" not in image.image.name
    sizes = {}
    for size in ProductImage.SIZES:
        with default_storage.open(getattr(image, size).name) as stored:
            picture = Image.open(io.BytesIO(stored.read()))
            assert picture.format == "WEBP"
            assert not picture.getexif()
            sizes[size] = picture.size
    assert sizes == {"thumbnail": (200, 200), "card": (600, 450), "full": (1600, 1200)}


@pytest.mark.parametrize("kind", ["svg named .jpg", "html named .jpg", "decompression bomb"])
def test_a_hostile_file_is_a_form_error_and_nothing_is_stored(superuser_client, kind):
    product = ProductFactory()
    upload, _code = refused_uploads()[kind]

    response = superuser_client.post(
        _change_url(product), _product_form(product, {"upload": upload, "position": 0})
    )

    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors[0]["upload"]
    assert not ProductImage.objects.exists()
    assert _stored_files() == []


def test_a_product_takes_10_photos_and_an_11th_is_a_form_error(superuser_client):
    product = ProductFactory()

    def photos(count):
        return [
            {
                "upload": make_uploaded_image(f"{n}.png", "PNG"),
                "alt_text": f"Side {n}",
                "position": n,
            }
            for n in range(count)
        ]

    refused = superuser_client.post(_change_url(product), _product_form(product, *photos(11)))

    (rows,) = refused.context["inline_admin_formsets"]
    assert rows.formset.non_form_errors() == ["Please submit at most 10 forms."]
    assert not ProductImage.objects.exists()

    taken = superuser_client.post(_change_url(product), _product_form(product, *photos(10)))

    assert taken.status_code == 302
    assert ProductImage.objects.filter(product=product).count() == 10


@pytest.mark.parametrize("total", ["1000", str(2**64)])
def test_a_crafted_row_count_builds_no_more_than_10_photo_forms(superuser_client, total):
    """Django's own ceiling is 2,000 forms: seconds of work for one request."""
    product = ProductFactory()
    data = _product_form(product)
    data[f"{PREFIX}-TOTAL_FORMS"] = total

    response = superuser_client.post(_change_url(product), data)

    assert response.status_code == 200
    (rows,) = response.context["inline_admin_formsets"]
    assert len(rows.formset.forms) <= 10
    assert rows.formset.non_form_errors() == ["Please submit at most 10 forms."]


def test_a_new_row_without_a_photo_is_a_form_error(superuser_client):
    product = ProductFactory()

    response = superuser_client.post(
        _change_url(product), _product_form(product, {"alt_text": "Nothing", "position": 3})
    )

    assert response.status_code == 200
    assert not ProductImage.objects.exists()


def test_only_one_photo_can_be_primary(superuser_client):
    product = ProductFactory()
    rows = [
        {"upload": make_uploaded_image(f"{n}.png", fmt="PNG"), "position": n, "is_primary": "on"}
        for n in range(2)
    ]

    response = superuser_client.post(_change_url(product), _product_form(product, *rows))

    assert response.status_code == 200
    assert "Mark one photo as primary, not several." in str(
        response.context["inline_admin_formsets"][0].formset.non_form_errors()
    )
    assert not ProductImage.objects.exists()


def test_the_database_refuses_a_second_primary_photo():
    from django.db import IntegrityError, transaction

    first = ProductImageFactory(is_primary=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductImageFactory(product=first.product, is_primary=True)


def test_an_existing_photo_is_shown_and_kept_when_the_row_is_saved_unchanged(superuser_client):
    image = ProductImageFactory(alt_text="Front")
    product = image.product

    page = superuser_client.get(_change_url(product))
    assert image.thumbnail.url.encode() in page.content

    existing = {"id": image.pk, "alt_text": "Front view", "position": 0}
    response = superuser_client.post(
        _change_url(product), _product_form(product, existing=[existing])
    )

    assert response.status_code == 302
    image.refresh_from_db()
    assert image.alt_text == "Front view"


def test_a_replaced_photo_and_its_sizes_leave_the_storage(
    superuser_client, django_capture_on_commit_callbacks
):
    image = ProductImageFactory()
    old_files = image.stored_names()
    assert all(default_storage.exists(name) for name in old_files)
    existing = {"id": image.pk, "upload": make_uploaded_image("new.png", fmt="PNG"), "position": 0}

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            _change_url(image.product), _product_form(image.product, existing=[existing])
        )

    assert response.status_code == 302
    image.refresh_from_db()
    assert not any(default_storage.exists(name) for name in old_files)
    assert sorted(_stored_files()) == sorted(image.stored_names())


def test_a_deleted_photo_and_its_sizes_leave_the_storage(
    superuser_client, django_capture_on_commit_callbacks
):
    image = ProductImageFactory()
    existing = {"id": image.pk, "position": 0, "DELETE": "on"}

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            _change_url(image.product), _product_form(image.product, existing=[existing])
        )

    assert response.status_code == 302
    assert not ProductImage.objects.exists()
    assert _stored_files() == []
