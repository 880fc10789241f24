"""Product search: PostgreSQL full-text search on the GIN index there, a substring match on
SQLite; both look at the name and the description."""

import pytest
from django.db import connection

from catalog.models import Product
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="full-text search and its GIN index exist on PostgreSQL only (set DATABASE_URL)",
)
on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the substring fallback runs on SQLite only"
)


def _found(text):
    return sorted(Product.objects.search(text).values_list("name", flat=True))


def test_search_matches_the_name_or_the_description():
    ProductFactory(name="Blue kettle", description="")
    ProductFactory(name="Mug", description="Goes with the blue kettle.")
    ProductFactory(name="Toaster", description="Red.")

    assert _found("kettle") == ["Blue kettle", "Mug"]


@on_postgresql
def test_full_text_search_stems_words_and_reads_web_search_syntax():
    ProductFactory(name="Stainless kettles", description="Boils water fast.")
    ProductFactory(name="Glass kettle", description="Boiling made visible.")
    ProductFactory(name="Toaster", description="Boils nothing.")

    assert _found("kettle") == ["Glass kettle", "Stainless kettles"]
    assert _found("boil -glass") == ["Stainless kettles", "Toaster"]
    assert _found('"made visible"') == ["Glass kettle"]


@on_postgresql
def test_full_text_search_uses_the_gin_index():
    ProductFactory.create_batch(3)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        queryset = Product.objects.search("kettle")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "product_search_idx" in plan, plan


@on_sqlite
def test_on_sqlite_search_is_a_substring_match():
    ProductFactory(name="Kettles", description="")

    assert _found("ettle") == ["Kettles"]
