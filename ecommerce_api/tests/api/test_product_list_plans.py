"""The product list's SQL reads indexes whatever the filter or sort order, so a page costs about
the same at a hundred products and at a hundred thousand (README, Performance).

Each test sends the API request and reads SQLite's plan of the statements it ran, with the
statistics ANALYZE keeps for a large catalogue: a page's keys come from a subquery that walks an
index in the page's order and stops at the page (skipping index entries, not table rows, for a
late page), and the count stops at 1,001 rows.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from shared.planner import sqlite_statistics

from catalog.filters import ORDERINGS
from tests.factories import CategoryFactory, ProductFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plans"),
]

LIST_URL = reverse("product-list")


#: What ANALYZE records for 100,000 active products in 20 categories, at 50 prices and 7 stock
#: levels, so SQLite plans as it would for a shop of that size.
CATEGORIES = 20
STATISTICS = {
    None: "100000",
    "product_active_name_idx": "100000 1 1 1 1 1",
    "product_active_price_idx": "100000 2000 1 1 1",
    "product_active_created_idx": "100000 1 1 1 1 1",
    "product_active_category_idx": "100000 5000 1 1 1 1",
    "product_active_stock_idx": "100000 14286 1 1",
    "catalog_product_category_id_35bf920b": "100000 5000",  # the foreign key's own index
}


@pytest.fixture(autouse=True)
def _catalogue():
    ProductFactory.create_batch(3, category=CategoryFactory(slug="phones"))
    category: dict[str | None, str] = {None: str(CATEGORIES)}
    with sqlite_statistics({"catalog_category": category, "catalog_product": STATISTICS}):
        yield


def _statements(api_client, params):
    """The SQL of each statement the request ran (a parameter the cache never stores is added,
    so the page is built)."""
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(LIST_URL, {**params, "fresh": "1"})
    assert response.status_code == 200, response.json()
    return [query["sql"] for query in queries.captured_queries]


def _plan(sql):
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return cursor.fetchall()


def _page_sql(statements):
    return next(sql for sql in statements if sql.startswith('SELECT "catalog_product"."id"'))


def _subquery_steps(steps):
    """The steps of a plan under its ``LIST SUBQUERY``, by their parent's id."""
    inside = {node for node, _, _, detail in steps if detail.startswith("LIST SUBQUERY")}
    for node, parent, _, _ in steps:
        if parent in inside:
            inside.add(node)
    return " / ".join(detail for node, parent, _, detail in steps if parent in inside)


#: Every filter, alone and together. SQLite guesses how many rows a range matches, and with a
#: low guess it read every match through the filtered column's index and sorted them (124 ms for
#: a price range matching 100,000 products); see catalog.planner_hints.
FILTERS = [
    {},
    {"in_stock": "true"},
    {"in_stock": "false"},
    {"min_price": "5"},
    {"max_price": "5"},
    {"min_price": "0", "max_price": "100000"},
    {"min_price": "210", "max_price": "220", "in_stock": "true"},
    {"max_price": "5", "in_stock": "false"},
    {"category": "phones"},
    {"category": "phones", "min_price": "0", "max_price": "100000", "in_stock": "true"},
]


@pytest.mark.parametrize("ordering", [None, *ORDERINGS])
@pytest.mark.parametrize("filters", FILTERS, ids=str)
def test_a_pages_keys_walk_an_index_in_its_order_and_sort_nothing(api_client, filters, ordering):
    params = filters if ordering is None else {**filters, "ordering": ordering}

    keys = _subquery_steps(_plan(_page_sql(_statements(api_client, params))))

    assert "USING INDEX product_active_" in keys
    assert "TEMP B-TREE" not in keys


def test_a_late_page_walks_an_index_too(api_client):
    keys = _subquery_steps(
        _plan(_page_sql(_statements(api_client, {"page": "3", "page_size": "1"})))
    )

    assert "USING INDEX product_active_" in keys
    assert "TEMP B-TREE" not in keys


#: The index each order walks when every range filter is set: the one that holds the filtered
#: columns beside the order's, so a row that fails a filter is never read from the table.
ORDER_INDEXES = {
    None: "product_active_name_idx",
    "name": "product_active_name_idx",
    "-name": "product_active_name_idx",
    "price": "product_active_price_idx",
    "-price": "product_active_price_idx",
    "newest": "product_active_created_idx",
    "oldest": "product_active_created_idx",
}


@pytest.mark.parametrize(("ordering", "index"), ORDER_INDEXES.items())
def test_filters_are_checked_in_the_index_of_the_pages_order(api_client, ordering, index):
    params = {"min_price": "0", "max_price": "100000", "in_stock": "true"}
    if ordering:
        params["ordering"] = ordering

    keys = _subquery_steps(_plan(_page_sql(_statements(api_client, params))))

    assert f"USING INDEX {index}" in keys


def test_a_category_in_name_order_reads_the_categorys_index(api_client):
    keys = _subquery_steps(_plan(_page_sql(_statements(api_client, {"category": "phones"}))))

    assert "USING INDEX product_active_category_idx (category_id=?)" in keys


def test_a_late_page_skips_index_entries_not_table_rows(api_client):
    page = _page_sql(_statements(api_client, {"page": "3", "page_size": "1"}))

    assert "LIMIT 2 OFFSET 2)" in page  # the keys' subquery: a page and one row to see past it


@pytest.mark.parametrize("params", [{}, {"in_stock": "true"}, {"search": "product"}], ids=str)
def test_the_count_stops_at_a_thousand_and_one_rows(api_client, params):
    statements = _statements(api_client, {**params, "page_size": "1"})  # more than a page

    counts = [sql for sql in statements if sql.startswith("SELECT COUNT(*)")]

    assert len(counts) == 1
    assert counts[0].endswith("LIMIT 1001) subquery")
