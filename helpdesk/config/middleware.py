"""A database that is away answers a clean 503 page, never a 500 (or a hung worker).

While PostgreSQL restarts (or SQLite's lock wait runs out), whatever touches the database raises
``OperationalError`` or ``InterfaceError``. Django would answer each with its last-resort 500.
Here they answer 503 with ``Retry-After`` and a page saying the helpdesk is briefly unavailable,
rendered without the database, and a WARNING is logged instead of an error with a traceback:

- :class:`DatabaseUnavailableMiddleware` for an error raised by a view;
- :func:`server_error` (``handler500``) for one raised before any view runs, which Django does
  not hand to middleware: the session and the logged-in user are read from the database by
  ``LoginRequiredMiddleware``, so that is where an outage usually shows first.

The failed request's transaction was rolled back by the database, so nothing is half-saved, and
``CONN_HEALTH_CHECKS`` replaces the broken persistent connection on the next request: the server
recovers by itself when the database is back. psycopg's ``connect_timeout`` (settings) keeps a
worker from hanging on a database host that does not answer at all.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Final

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.views import defaults

logger = logging.getLogger(__name__)

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
#: Seconds a client is asked to wait before trying again (a restart takes about this long).
RETRY_AFTER_SECONDS: Final = 10


class DatabaseUnavailableMiddleware:
    """Answers a view's database error with the 503 page (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        return database_unavailable(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: the 503 page when the uncaught error is the database being away (raised
    in a middleware, before any view), Django's friendly 500 page otherwise."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_UNAVAILABLE):
        return database_unavailable(request, error)
    return defaults.server_error(request)


def database_unavailable(request: HttpRequest, error: Exception) -> HttpResponse:
    """The 503 answer to ``request``, logged once as a WARNING."""
    logger.warning(
        "The database is unavailable (%s: %s); answered %s %s with 503.",
        type(error).__name__,
        str(error).strip(),
        request.method,
        request.path,
    )
    page = render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
