"""anymail's ``inbound`` signal, sent by the Mailgun webhook (:mod:`inbound.webhooks`) for each
verified message, handed to :func:`inbound.services.receive` exactly as the MTA pipe does.

Connected in ``inbound.apps`` at start-up; kept apart from the webhook's view so that connecting
it imports neither anymail's views nor ``requests``.
"""

from __future__ import annotations

import logging
from email.encoders import encode_base64
from email.message import Message
from typing import TYPE_CHECKING

from django.http import HttpRequest

from inbound.models import Channel
from inbound.services import receive

if TYPE_CHECKING:
    from anymail.signals import AnymailInboundEvent

logger = logging.getLogger(__name__)


def receive_from_anymail(sender: object, event: AnymailInboundEvent, **kwargs: object) -> None:
    """anymail's ``inbound`` signal: hand the message's bytes to the shared service.

    Mailgun's raw-MIME form (``body-mime``) is passed on as received; its fully-parsed form
    (attachments as uploaded files) is rebuilt into a message by anymail first.
    """
    request = event.esp_event
    body_mime = request.POST.get("body-mime") if isinstance(request, HttpRequest) else None
    if body_mime is not None:
        raw = body_mime.encode("utf-8", errors="replace")
    else:
        try:
            raw = _as_bytes(event.message) if event.message is not None else b""
        except Exception:  # a message anymail could build but not serialise: malformed
            logger.exception("Inbound e-mail (mailgun): the parsed form could not be rebuilt.")
            raw = b""
    receive(raw, channel=Channel.MAILGUN)


def _as_bytes(message: Message) -> bytes:
    """The message anymail built from the fully-parsed form, as RFC 5322 bytes.

    anymail sets each uploaded attachment as raw bytes without a transfer encoding, which the
    generator would write as 8-bit text (line endings rewritten, the file corrupted); they are
    base64-encoded first, as a mail client would have sent them.
    """
    for part in message.walk():
        if part.is_multipart() or part.get_content_maintype() == "message":
            continue
        if part["Content-Transfer-Encoding"] is None:
            encode_base64(part)
    return message.as_bytes()
