"""The 500 and 503 pages, rendered with the response's CSP nonce and nothing else.

Django's own ``server_error`` renders ``500.html`` without any context, on purpose: the server
is unwell, so the page needs no database, no context processor and no static file. Its inline
``<style>`` would then be blocked by the Content-Security-Policy (``style-src 'self'``), so these
views pass exactly one value, the nonce django-csp's middleware made for this request (empty if
the error happened before that middleware ran: the page is then unstyled, still readable).

``503.html`` answers a database that is away (``config.middleware``): a restart is a matter of
seconds, so the page says so, and ``Retry-After`` tells clients and load balancers when to try
again.
"""

from __future__ import annotations

import logging
import sys
from typing import Final

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
#: Seconds a client is asked to wait before trying again (a restart takes about this long).
RETRY_AFTER_SECONDS: Final = 10


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: the 503 page when the uncaught error is the database being away (raised
    in a middleware, before any view), the 500 page otherwise."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_UNAVAILABLE):
        return database_unavailable(request, error)
    return HttpResponseServerError(_render("500.html", request))


def database_unavailable(request: HttpRequest, error: Exception) -> HttpResponse:
    """The 503 answer to ``request``, logged as a WARNING (no traceback: nothing is broken)."""
    logger.warning(
        "The database is unavailable (%s: %s); answered %s %s with 503.",
        type(error).__name__,
        str(error).strip(),
        request.method,
        request.path,
    )
    response = HttpResponse(_render("503.html", request), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def _render(template_name: str, request: HttpRequest) -> str:
    nonce = getattr(request, "csp_nonce", "")
    return loader.get_template(template_name).render({"csp_nonce": str(nonce)})
