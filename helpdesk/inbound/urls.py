"""Inbound e-mail webhooks (``/inbound/...``); the MTA pipe is ``manage.py receive_email``."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponseBase

app_name = "inbound"


@cache
def _mailgun_view() -> Any:
    from inbound.webhooks import MailgunInboundView

    return MailgunInboundView.as_view()


@csrf_exempt
@login_not_required
def mailgun(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
    """:class:`inbound.webhooks.MailgunInboundView`, imported at the first request: anymail's
    views import ``requests``, which no other process (the worker, a management command, a
    gunicorn worker that never sees a webhook) should pay for at start-up."""
    response: HttpResponseBase = _mailgun_view()(request, *args, **kwargs)
    return response


urlpatterns = [
    # Mailgun route action: forward("https://<host>/inbound/mailgun/mime/") for the raw MIME
    # (parsed by our own parser), or forward(".../inbound/mailgun/") for the fully-parsed form.
    path("mailgun/", mailgun, name="mailgun"),
    path("mailgun/mime/", mailgun, name="mailgun_mime"),
]
