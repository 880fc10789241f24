"""``manage.py receive_email < message.eml``: the MTA pipe into the help desk.

Postfix (``pipe``) and Exim (``pipe`` transport) run it once per message with the message on
standard input. The exit code is all the MTA reads:

- ``0``: handled or deliberately dropped (a ticket, a reply, an invitation, an auto-reply or a
  malformed or oversized message logged and discarded). Nothing for the MTA to do.
- ``75`` (``EX_TEMPFAIL``): the database could not be reached. The MTA keeps the message and
  tries again later; the retry is recognised by its Message-ID, so nothing is made twice.

Any other exit code would make the MTA bounce the message to its sender, which is never
right for a message the help desk merely failed to store; so every unexpected error is also
reported as a temporary failure, with its traceback in the log.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import IO, Any, Final

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

from inbound.models import Channel
from inbound.services import receive

logger = logging.getLogger("inbound.services")

EX_TEMPFAIL: Final = getattr(os, "EX_TEMPFAIL", 75)
_CHUNK: Final = 1024 * 1024


class Command(BaseCommand):
    help = "Read one e-mail (RFC 5322 bytes) from standard input and file it in the help desk."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file",
            help="Read the message from this file instead of standard input (for testing).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["file"]:
            with open(options["file"], "rb") as stream:
                raw = read_limited(stream, settings.INBOUND_EMAIL_MAX_BYTES)
        else:
            raw = read_limited(sys.stdin.buffer, settings.INBOUND_EMAIL_MAX_BYTES)
        try:
            receipt = receive(raw, channel=Channel.PIPE)
        except DatabaseError:
            logger.exception("Inbound e-mail not stored: the database failed; the MTA will retry.")
            sys.exit(EX_TEMPFAIL)
        except Exception:
            logger.exception("Inbound e-mail not stored: unexpected error; the MTA will retry.")
            sys.exit(EX_TEMPFAIL)
        ticket = f" #{receipt.ticket.pk}" if receipt.ticket is not None else ""
        duplicate = " (received before)" if receipt.duplicate else ""
        self.stdout.write(f"{receipt.outcome}{ticket}{duplicate}")


def read_limited(stream: IO[bytes], limit: int) -> bytes:
    """The stream's bytes, but at most ``limit + 1`` of them kept (enough to see it is too
    large); the rest is read and discarded so the MTA's write does not fail on a closed pipe."""
    kept = bytearray()
    while chunk := stream.read(_CHUNK):
        if len(kept) <= limit:
            kept += chunk[: limit + 1 - len(kept)]
    return bytes(kept)
