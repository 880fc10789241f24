"""A database that is away answers a clean 503, never a 500 with a traceback in the log only.

While PostgreSQL restarts (or SQLite's lock wait runs out), every view that touches the
database raises ``OperationalError`` or ``InterfaceError``. Django would answer each with the
last-resort 500. :class:`DatabaseUnavailableMiddleware` answers them with 503 and
``Retry-After`` instead: the API's JSON error shape (``service_unavailable``), or for a browser
(the admin, the browsable API) a page saying so, rendered without the database. The
transaction of the failed request was rolled back by the database, so nothing is half-saved;
``CONN_HEALTH_CHECKS`` replaces the broken persistent connection on the next request, so the
server recovers by itself when the database is back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from config.api_errors import RETRY_AFTER_SECONDS, ServiceUnavailable

logger = logging.getLogger(__name__)

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        logger.warning(
            "The database is unavailable (%s: %s); answered %s %s with 503.",
            type(exception).__name__,
            exception,
            request.method,
            request.path,
        )
        return database_unavailable(request)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 for ``request``: an HTML page for a browser, the API's error JSON otherwise."""
    response: HttpResponse
    if "text/html" in request.headers.get("Accept", ""):
        page = render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS})
        response = HttpResponse(page, status=503)
    else:
        error = ServiceUnavailable()
        body = {"code": error.default_code, "detail": str(error.detail)}
        response = JsonResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
