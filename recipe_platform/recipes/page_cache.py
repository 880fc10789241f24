"""Whole-page caching of the public recipe list for anonymous visitors, in the shared cache.

Every anonymous visitor sees the same list page for the same address, so it is rendered once and
kept in ``settings.CACHES`` (shared by every worker and server) for :data:`PAGE_TIMEOUT` seconds.

Correctness comes first:

- only anonymous ``GET`` requests without pending messages are served from or stored in the
  cache, and only pages that set no cookie: a logged-in visitor (whose header shows their name and
  a logout form with a CSRF token) never gets a cached page, and never fills one;
- only browsing addresses are cached, as the page's own links write them: ``?category=`` once and
  not empty, ``?sort=rating`` (the one order besides the default), ``?page=`` once, in plain ASCII
  digits without a leading zero, nothing else (never a search); and only pages that answer 200,
  so an unknown category (404) or a page past the end (404) is never stored. Anything else
  (``?page=007``, ``?page=٣``, ``?category=a&category=b``, ``?sort=newest``, ``?utm_source=``) is
  served without being stored. The number of entries is thus bounded by the data (categories x
  orders x pages), never by what visitors type;
- a page whose rendering used the response's CSP nonce is never stored: a nonce is good for one
  response only (the list has no inline script; this keeps it that way if one is added);
- every cached page is stamped with the current *generation*; any change to a recipe, its
  categories, a category or an author's name starts a new generation (:func:`invalidate`), so
  every page cached before the change is ignored at once, on every server: model signals catch
  saves and deletes (the site, the admin, the cascade of deleting a user), and ``RecipeQuerySet``
  catches its bulk writes, which send none. What neither sees (raw SQL, bulk writes to the
  categories' link table) shows when the page expires, at most :data:`PAGE_TIMEOUT` seconds later.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse, QueryDict
from django.template.response import SimpleTemplateResponse
from django.utils.cache import patch_vary_headers

PAGE_TIMEOUT = 60
GENERATION_KEY = "recipes:page-generation"
CACHEABLE_PARAMETERS = frozenset({"category", "page", "sort"})
CACHEABLE_ORDERS = frozenset({"rating"})
_CANONICAL_PAGE = re.compile(r"[1-9][0-9]*")

View = Callable[..., HttpResponse]


def cache_for_anonymous(view: View) -> View:
    """Serve ``view``'s page to anonymous visitors from the shared cache (see the module)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _is_cacheable(request):
            return view(request, *args, **kwargs)
        key = _page_key(request)
        # One round trip for both: the generation first would cost a second query on a hit.
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY)
        page = found.get(key)
        if generation is not None and page is not None and page[0] == generation:
            return _response(page[1])
        # Read before the page's queries run: a change committed meanwhile bumps the generation
        # after this read, so a page built from older rows is stored under an older stamp.
        generation = generation or _start_generation()
        response = view(request, *args, **kwargs)
        if isinstance(response, SimpleTemplateResponse):
            response.render()
        if (
            response.status_code == 200
            and not _sets_cookies(request, response)
            and not _used_a_nonce(request)
        ):
            cache.set(key, (generation, response.content), PAGE_TIMEOUT)
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapped


def invalidate() -> None:
    """Start a new generation: every page cached so far is stale, on every server, at once."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def invalidate_after_write() -> None:
    """Invalidate now, for the rest of this transaction, and again once it commits.

    Between the two, a visitor may cache a page built from the rows as they were before the commit.
    """
    invalidate()
    transaction.on_commit(invalidate, robust=True)


def _is_cacheable(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and not request.user.is_authenticated
        and _is_browsing_address(request.GET)
        and not messages.get_messages(request)
    )


def _is_browsing_address(query: QueryDict) -> bool:
    """Whether the query is spelt as the page's own links spell it (see the module)."""
    if not set(query) <= CACHEABLE_PARAMETERS:
        return False
    if any(len(query.getlist(name)) != 1 for name in query):
        return False
    page = query.get("page")
    if page is not None and not _CANONICAL_PAGE.fullmatch(page):
        return False
    sort = query.get("sort")
    if sort is not None and sort not in CACHEABLE_ORDERS:
        return False
    return query.get("category") != ""


def _sets_cookies(request: HttpRequest, response: HttpResponse) -> bool:
    # A page with a form that POSTs calls get_token(), and CsrfViewMiddleware then sets the
    # visitor's CSRF cookie on the way out; such a page is never shared.
    return bool(response.cookies) or bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


def _used_a_nonce(request: HttpRequest) -> bool:
    # django-csp's request.csp_nonce is lazy: true once something (a template) has read it.
    return bool(getattr(request, "csp_nonce", None))


def _page_key(request: HttpRequest) -> str:
    # Sorted, so ?category=soup&page=2 and ?page=2&category=soup share one entry.
    address = f"{request.path}?{urlencode(sorted(request.GET.items()))}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"recipes:anonymous-page:{digest}"


def _start_generation() -> str:
    cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    generation: str = cache.get(GENERATION_KEY)
    return generation


def _response(content: bytes) -> HttpResponse:
    response = HttpResponse(content)
    patch_vary_headers(response, ["Cookie"])
    return response


# --- Invalidation ------------------------------------------------------------------------------
# Receivers, not calls in services.py: the admin, the moderation action and the cascade of
# deleting a user change recipes too, and this is about a cache, not a business rule.


def _invalidate_on_change(**kwargs: Any) -> None:
    invalidate_after_write()


def _invalidate_on_author_rename(update_fields: frozenset[str] | None, **kwargs: Any) -> None:
    # Logging in saves only last_login; cards show the author's username.
    if update_fields is None or "username" in update_fields:
        invalidate_after_write()


def connect_invalidation() -> None:
    from django.contrib.auth import get_user_model

    from recipes.models import Category, Recipe

    for model in (Recipe, Category):
        post_save.connect(_invalidate_on_change, sender=model)
        post_delete.connect(_invalidate_on_change, sender=model)
    m2m_changed.connect(_invalidate_on_change, sender=Recipe.categories.through)
    post_save.connect(_invalidate_on_author_rename, sender=get_user_model())
