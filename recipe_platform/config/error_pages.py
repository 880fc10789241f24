"""The 500 page, rendered with the response's CSP nonce and nothing else.

Django's own ``server_error`` renders ``500.html`` without any context, on purpose: the server
is unwell, so the page needs no database, no context processor and no static file. Its inline
``<style>`` would then be blocked by the Content-Security-Policy (``style-src 'self'``), so this
view passes exactly one value, the nonce django-csp's middleware made for this request (empty if
the error happened before that middleware ran: the page is then unstyled, still readable).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseServerError
from django.template import loader


def server_error(request: HttpRequest) -> HttpResponseServerError:
    template = loader.get_template("500.html")
    nonce = getattr(request, "csp_nonce", "")
    return HttpResponseServerError(template.render({"csp_nonce": str(nonce)}))
