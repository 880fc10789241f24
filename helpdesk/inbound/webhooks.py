"""The Mailgun inbound webhook: anymail checks the signature, :func:`inbound.services.receive`
does the rest, exactly as for a message piped in by the MTA.

anymail's view refuses a request whose HMAC signature (``DJANGO_MAILGUN_WEBHOOK_SIGNING_KEY``)
does not verify with a 400 before anything is read into the help desk; on success it sends its
``inbound`` signal, connected to :func:`inbound.receivers.receive_from_anymail` (``inbound.apps``).
This subclass adds two refusals in front of it:

- while no signing key is configured the URL is a 404 (an empty key would make every
  signature "valid");
- a body larger than the inbound size limit (plus room for the form's other fields) is a 406,
  which Mailgun takes as "do not retry", before a byte of it is parsed.

A database failure while the message is handled propagates: Django answers 5xx (503 from
``config.middleware``) and Mailgun retries later; the retry is recognised by its Message-ID.

anymail's views import ``requests``, which every process (each gunicorn worker, the task worker,
each management command) would pay at start-up for a webhook few deployments configure: only
:func:`inbound.urls.mailgun` imports this module, at the webhook's first request.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Final

from anymail.exceptions import AnymailConfigurationError, AnymailError
from anymail.webhooks.mailgun import MailgunInboundWebhookView
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt

if TYPE_CHECKING:
    from anymail.signals import AnymailInboundEvent

logger = logging.getLogger(__name__)

#: Bytes the webhook's form adds around the message itself (signature, token, envelope fields).
FORM_OVERHEAD: Final = 64 * 1024


@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(login_not_required, name="dispatch")
class MailgunInboundView(MailgunInboundWebhookView):  # type: ignore[misc]
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.ANYMAIL.get("MAILGUN_WEBHOOK_SIGNING_KEY"):
            raise Http404("Mailgun's inbound webhook is not configured.")
        limit: int = settings.INBOUND_EMAIL_MAX_BYTES
        try:
            length = int(request.headers.get("content-length") or 0)
        except ValueError:
            length = 0
        if length > limit + FORM_OVERHEAD:
            logger.warning(
                "Inbound e-mail (mailgun) refused: a %s-byte request, over the limit of %s bytes.",
                length,
                limit,
            )
            return HttpResponse("Message too large.", status=406, content_type="text/plain")
        response: HttpResponse = super().dispatch(request, *args, **kwargs)
        return response

    def parse_events(self, request: HttpRequest) -> list[AnymailInboundEvent]:
        """anymail's reading of a signed form; a form it cannot read (a tracking event sent
        here, the store() action, broken JSON) is a 400 with a log line, not a server error."""
        try:
            events: list[AnymailInboundEvent] = super().parse_events(request)
        except (AnymailError, AnymailConfigurationError, ValueError, KeyError, TypeError) as error:
            logger.warning("Inbound e-mail (mailgun) refused: an unreadable form (%s).", error)
            raise BadRequest("Unreadable inbound webhook form.") from error
        return events
