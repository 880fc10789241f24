"""The product list is cached for a few seconds, keyed by the catalogue's revision, with ETags.

See ``catalog/list_cache.py`` for what may be stale (stock, for ``SECONDS``) and what never is.
"""

import importlib
import time
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.db import connection
from django.urls import reverse

from catalog import list_cache
from orders.services import LineRequest, cancel_order, place_order
from tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("product-list")


def _stocks(client, **params):
    response = client.get(LIST_URL, params)
    assert response.status_code == 200, response.content
    return {product["name"]: product["stock"] for product in response.json()["results"]}


@pytest.fixture
def frozen_clock(settings, monkeypatch):
    """The catalogue cache in local memory, whose expiry reads ``time.time``, here a clock the
    test moves: expiry is tested without sleeping, on Redis runs too (CI)."""
    settings.CACHES = {
        **settings.CACHES,
        "catalogue": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    clock = SimpleNamespace(now=1_000_000.0)
    monkeypatch.setattr(time, "time", lambda: clock.now)
    return clock


def test_a_repeated_request_costs_one_query(api_client, django_assert_num_queries):
    ProductFactory.create_batch(3)
    first = api_client.get(LIST_URL)

    with django_assert_num_queries(1):  # the catalogue's revision; the page is cached
        again = api_client.get(LIST_URL)

    assert again.content == first.content
    assert again["Content-Type"] == "application/json"


def test_every_query_string_is_its_own_page(api_client):
    ProductFactory(name="Kettle", price="30.00")
    ProductFactory(name="Mug", price="5.00")

    assert list(_stocks(api_client)) == ["Kettle", "Mug"]
    assert list(_stocks(api_client, ordering="price")) == ["Mug", "Kettle"]
    assert list(_stocks(api_client, search="mug")) == ["Mug"]


def test_the_pagination_links_keep_each_requests_host(api_client):
    ProductFactory.create_batch(3)

    first = api_client.get(LIST_URL, {"page_size": 1}, HTTP_HOST="localhost").json()
    second = api_client.get(LIST_URL, {"page_size": 1}, HTTP_HOST="127.0.0.1").json()

    assert first["next"].startswith("http://localhost/")
    assert second["next"].startswith("http://127.0.0.1/")


def test_an_edited_product_is_listed_at_once(api_client):
    product = ProductFactory(name="Kettle", stock=3)
    _stocks(api_client)

    product.name = "Steel kettle"
    product.stock = 8
    product.save()

    assert _stocks(api_client) == {"Steel kettle": 8}


def test_a_new_product_is_listed_at_once(api_client):
    ProductFactory(name="Kettle")
    _stocks(api_client)

    ProductFactory(name="Mug")

    assert list(_stocks(api_client)) == ["Kettle", "Mug"]


def test_a_deactivated_product_leaves_the_list_at_once(api_client):
    product = ProductFactory(name="Kettle")
    _stocks(api_client)

    product.is_active = False
    product.save()

    assert _stocks(api_client) == {}


def test_a_renamed_category_is_listed_at_once(api_client):
    category = CategoryFactory(name="Kitchen")
    ProductFactory(category=category)
    api_client.get(LIST_URL)

    category.name = "Cookware"
    category.save()

    listed = api_client.get(LIST_URL).json()["results"][0]["category"]
    assert listed["name"] == "Cookware"


def test_stock_taken_by_an_order_shows_once_the_page_expires(api_client, user, frozen_clock):
    product = ProductFactory(name="Kettle", stock=5)
    assert _stocks(api_client) == {"Kettle": 5}

    order = place_order(customer=user, lines=[LineRequest(product.pk, 2)]).order
    assert _stocks(api_client) == {"Kettle": 5}  # the documented staleness of a list
    assert api_client.get(reverse("product-detail", args=[product.pk])).json()["stock"] == 3

    frozen_clock.now += list_cache.SECONDS + 1
    assert _stocks(api_client) == {"Kettle": 3}

    cancel_order(order=order)
    frozen_clock.now += list_cache.SECONDS + 1
    assert _stocks(api_client) == {"Kettle": 5}


def test_a_page_is_kept_no_longer_than_the_expiry(api_client, frozen_clock):
    older = ProductFactory(name="Kettle")
    ProductFactory(name="Mug")
    _stocks(api_client)
    older.delete()  # the newest change is still the mug's: the revision stays

    frozen_clock.now += list_cache.SECONDS - 1
    assert list(_stocks(api_client)) == ["Kettle", "Mug"]
    frozen_clock.now += 2
    assert list(_stocks(api_client)) == ["Mug"]


def test_the_page_carries_an_etag_and_if_none_match_answers_304(api_client):
    ProductFactory.create_batch(2)
    etag = api_client.get(LIST_URL)["ETag"]

    response = api_client.get(LIST_URL, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_a_changed_catalogue_answers_a_stale_etag_with_the_new_page(api_client):
    product = ProductFactory(name="Kettle")
    etag = api_client.get(LIST_URL)["ETag"]
    product.name = "Steel kettle"
    product.save()

    response = api_client.get(LIST_URL, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert response.json()["results"][0]["name"] == "Steel kettle"


def test_the_etag_differs_between_pages(api_client):
    ProductFactory.create_batch(3)

    first = api_client.get(LIST_URL, {"page_size": 1})
    second = api_client.get(LIST_URL, {"page_size": 1, "page": 2})

    assert first["ETag"] != second["ETag"]


def test_errors_are_never_cached(api_client):
    invalid = api_client.get(LIST_URL, {"min_price": "cheap"})
    missing = api_client.get(LIST_URL, {"page": 5})

    assert (invalid.status_code, missing.status_code) == (400, 404)
    assert not invalid.has_header("ETag")
    assert not missing.has_header("ETag")


def test_the_browsable_api_is_rendered_for_each_user(user_client, user):
    ProductFactory()

    response = user_client.get(LIST_URL, HTTP_ACCEPT="text/html")

    assert user.username in response.content.decode()
    assert not response.has_header("ETag")


def test_an_invalid_token_is_still_refused_when_the_page_is_cached(api_client):
    ProductFactory()
    api_client.get(LIST_URL)

    response = api_client.get(LIST_URL, HTTP_AUTHORIZATION="Token not-a-real-token")

    assert response.status_code == 401


def test_the_catalog_migration_creates_the_catalogue_cache_table(settings):
    settings.CACHES = {
        "catalogue": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "catalogue_migration_cache",
        }
    }
    migration = importlib.import_module("catalog.migrations.0004_create_catalogue_cache_table")

    migration.create_cache_tables(None, SimpleNamespace(connection=connection))

    assert "catalogue_migration_cache" in connection.introspection.table_names()
    caches["catalogue"].set("probe", 1)
    assert caches["catalogue"].get("probe") == 1


@pytest.fixture
def stored_pages(settings):
    """The catalogue cache in local memory, where the test can count what it holds."""
    settings.CACHES = {
        **settings.CACHES,
        "catalogue": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    store = caches["catalogue"]
    return lambda: len(store._cache)  # type: ignore[attr-defined] # LocMemCache's own dict


JUNK_REQUESTS = [
    *({"utm_source": f"campaign-{n}"} for n in range(20)),  # unknown parameters
    *({"search": f"kettle {n}"} for n in range(20)),  # free text
    *({"min_price": f"{n}.00"} for n in range(20)),  # any price
    *({"max_price": f"{n}"} for n in range(20)),
    *({"page": f"{'0' * n}1"} for n in range(1, 20)),  # other spellings of page 1
    *({"page_size": f"0{n}"} for n in range(1, 20)),
    *({"page_size": str(100 + n)} for n in range(1, 20)),  # served as 100: not its spelling
    *({"category": f"no-such-category-{n}"} for n in range(20)),  # 400
    *({"page": str(n)} for n in range(2, 20)),  # past the last page: 404
    *({"in_stock": value} for value in ["maybe", "True", "1", "yes", ""]),  # 400, or empty
    {"ordering": "price", "ordering ": "price"},
]


def test_a_flood_of_distinct_junk_parameters_adds_no_cache_entries(api_client, stored_pages):
    ProductFactory.create_batch(3, category=CategoryFactory(slug="kitchen"))

    for params in JUNK_REQUESTS:
        assert api_client.get(LIST_URL, params).status_code in {200, 400, 404}
    for value in ["price", "name"]:  # a parameter given twice
        api_client.get(f"{LIST_URL}?ordering={value}&ordering={value}")

    assert stored_pages() == 0


def test_junk_headers_add_no_cache_entries(api_client, stored_pages):
    """Accept parameters DRF would render into the page, hosts and ports a client made up."""
    ProductFactory()

    for n in range(10):
        api_client.get(LIST_URL, HTTP_ACCEPT=f"application/json; indent={n}")
        api_client.get(LIST_URL, HTTP_ACCEPT=f"application/json; junk={n}")
        api_client.get(LIST_URL, HTTP_HOST=f"localhost:{8000 + n}")

    assert stored_pages() == 0


def test_the_pages_people_browse_are_stored_once_whatever_the_parameter_order(
    api_client, stored_pages
):
    ProductFactory.create_batch(3, category=CategoryFactory(slug="kitchen"))

    api_client.get(LIST_URL)
    api_client.get(f"{LIST_URL}?category=kitchen&in_stock=true&ordering=-price&page_size=2")
    api_client.get(f"{LIST_URL}?page_size=2&ordering=-price&in_stock=true&category=kitchen")
    second = api_client.get(f"{LIST_URL}?page=2&page_size=2&category=kitchen&format=json")

    assert second.status_code == 200
    assert stored_pages() == 3


def test_a_page_that_is_not_stored_is_still_answered_with_an_etag(api_client):
    ProductFactory(name="Kettle")

    first = api_client.get(LIST_URL, {"search": "kettle"})
    again = api_client.get(LIST_URL, {"search": "kettle"}, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.json()["count"] == 1
    assert again.status_code == 304
