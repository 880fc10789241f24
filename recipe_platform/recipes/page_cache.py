"""Whole-page caching of the public recipe list for anonymous visitors, in the shared cache.

Every anonymous visitor sees the same list page for the same address, so it is rendered once and
kept in ``settings.CACHES`` (shared by every worker and server) for :data:`PAGE_TIMEOUT` seconds.

Correctness comes first:

- only anonymous ``GET`` requests without pending messages are served from or stored in the
  cache, and only pages that set no cookie: a logged-in visitor (whose header shows their name and
  a logout form with a CSRF token) never gets a cached page, and never fills one;
- only browsing addresses (``?category=`` and ``?page=``) are cached, never searches, so the
  number of entries is bounded by the data, not by what visitors type;
- every cached page is stamped with the current *generation*; any change to a recipe, its
  categories, a category or an author's name starts a new generation (:func:`invalidate`), so
  every page cached before the change is ignored at once, on every server: model signals catch
  saves and deletes (the site, the admin, the cascade of deleting a user), and ``RecipeQuerySet``
  catches its bulk writes, which send none. What neither sees (raw SQL, bulk writes to the
  categories' link table) shows when the page expires, at most :data:`PAGE_TIMEOUT` seconds later.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.template.response import SimpleTemplateResponse
from django.utils.cache import patch_vary_headers

PAGE_TIMEOUT = 60
GENERATION_KEY = "recipes:page-generation"
CACHEABLE_PARAMETERS = frozenset({"category", "page"})

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
        if response.status_code == 200 and not _sets_cookies(request, response):
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
        and set(request.GET) <= CACHEABLE_PARAMETERS
        and not messages.get_messages(request)
    )


def _sets_cookies(request: HttpRequest, response: HttpResponse) -> bool:
    # A page with a form that POSTs calls get_token(), and CsrfViewMiddleware then sets the
    # visitor's CSRF cookie on the way out; such a page is never shared.
    return bool(response.cookies) or bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


def _page_key(request: HttpRequest) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
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
