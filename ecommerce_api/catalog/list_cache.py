"""Product list pages, rendered once and kept for a few seconds in the shared cache.

A page is stored under its exact URL (host and query string: the pagination links in the body
are absolute), the negotiated media type, and the catalogue's *revision*: the newest
``updated_at`` of any product or category. Saving a product or a category (the admin, the ORM,
a bulk load) moves the revision, so an edit is never served stale, on any worker or server.

Stock is the exception, on purpose. Orders take and restore it with a conditional ``UPDATE``
that leaves ``updated_at`` alone, so a busy shop does not throw its cached lists away on every
order; the stock and ``in_stock`` shown in a cached list can therefore be up to ``SECONDS``
old. A list is a browsing aid: the product's own endpoint is never cached, and placing an order
checks the stock again. Deleting a product (the admin can) is seen within ``SECONDS`` too.
"""

from __future__ import annotations

import hashlib
from dataclasses import astuple, dataclass

from django.core.cache import caches
from django.db import connection
from rest_framework.request import Request

from catalog.models import Category, Product

SECONDS = 10
CACHE = "catalogue"


@dataclass(frozen=True)
class CachedPage:
    body: bytes
    content_type: str
    etag: str

    @classmethod
    def of(cls, body: bytes, content_type: str) -> CachedPage:
        """The page with a strong validator of its exact bytes, for ``If-None-Match``."""
        return cls(body, content_type, f'"{hashlib.sha256(body).hexdigest()[:32]}"')


def catalogue_revision() -> str:
    """The newest change to any product or category: two index lookups in one statement.

    Plain SQL on purpose: the ORM spent 25 times longer compiling the equivalent aggregate
    (about 0.25 ms) than the database spent answering it, on every list request.
    """
    products, categories = (
        connection.ops.quote_name(model._meta.db_table) for model in (Product, Category)
    )
    newest = (
        f"SELECT (SELECT MAX(updated_at) FROM {products}), "  # noqa: S608 - model tables, no input
        f"(SELECT MAX(updated_at) FROM {categories})"
    )
    with connection.cursor() as cursor:
        cursor.execute(newest)
        return "|".join(map(str, cursor.fetchone()))


def page_key(request: Request) -> str:
    identity = "\n".join(
        [catalogue_revision(), request.accepted_media_type, request.build_absolute_uri()]
    )
    return f"products:v1:{hashlib.sha256(identity.encode()).hexdigest()}"


def get(key: str) -> CachedPage | None:
    """The cached page, if any. Stored as a plain tuple: a class pickled by one release might
    not unpickle into the next one's."""
    stored = caches[CACHE].get(key)
    return None if stored is None else CachedPage(*stored)


def store(key: str, page: CachedPage) -> None:
    caches[CACHE].set(key, astuple(page), SECONDS)
