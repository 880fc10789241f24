"""A database that is away answers a clean 503 page, never a 500 (or a hung worker).

While PostgreSQL restarts (or SQLite's lock wait runs out), whatever touches the database raises
``OperationalError`` or ``InterfaceError``, and Django would answer with its last-resort 500.
Here the answer is a 503 with ``Retry-After`` and a page saying the site is briefly unavailable,
rendered without the database (``config.error_pages.database_unavailable``), with a WARNING
saying why:

- :class:`DatabaseUnavailableMiddleware` for an error raised by a view, or while its template
  renders: Django then logs a 503 response, not a crash with its traceback;
- ``config.error_pages.server_error`` (``handler500``) for one raised before any view runs,
  which Django never hands to middleware (it logs the traceback): ``LoginRequiredMiddleware``
  reads the session and the logged-in user from the database, so an outage shows there first
  for a logged-in visitor.

The failed request's transaction was rolled back by the database, so nothing is half-saved, and
``CONN_HEALTH_CHECKS`` replaces the broken persistent connection on the next request: the server
recovers by itself when the database is back. psycopg's ``connect_timeout`` (settings) keeps a
worker from hanging on a database host that does not answer at all.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from config.error_pages import DATABASE_UNAVAILABLE, database_unavailable


class DatabaseUnavailableMiddleware:
    """Answers a view's database error with the 503 page (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_UNAVAILABLE):
            return database_unavailable(request, exception)
        return None
