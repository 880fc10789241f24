"""Per-ticket reply addresses and Message-IDs that carry an unforgeable token.

Inbound mail is matched to a ticket by what the help desk itself wrote, never by the subject:
the reply address (``support+t42.<token>@example.com``) that every outgoing message names in
``Reply-To``, or the ``Message-ID`` of a message it sent (``<t42.<token>.<event>@example.com>``),
which a mail client copies into ``In-Reply-To`` and ``References`` when the customer answers.

The token is an HMAC of the ticket id under the site's secret key (``salted_hmac`` with a salt
of its own, SHA-256, 100 bits kept): knowing ticket 41's address tells nothing about ticket
42's, and without the key no one can make an address that passes. It is verified with
``constant_time_compare``, against ``SECRET_KEY`` and then each of ``SECRET_KEY_FALLBACKS``,
so a key rotation does not orphan the replies to mail sent before it (new mail uses the new key).

The token is lowercase base32: mail systems may change the case of a local part, and the
comparison folds case. Anything that does not parse, names another mailbox, or carries a token
that does not verify gives ``None``: the caller treats it like mail with no ticket reference.
"""

from __future__ import annotations

import base64
import hashlib
import re
from email.utils import parseaddr
from typing import Final

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import punycode

#: ``salted_hmac``'s salt: a token made for another purpose with the same key never verifies here.
TOKEN_SALT: Final = "helpdesk.mail.threading.ticket-token"  # noqa: S105 - a salt, not a secret
#: Characters of base32 kept from the HMAC: 20 characters are 100 bits.
TOKEN_LENGTH: Final = 20
#: Hex characters of the event hash in a Message-ID: unique per event of one ticket.
EVENT_HASH_LENGTH: Final = 16
#: The event whose Message-ID is the root of a ticket's thread (``References`` starts with it).
THREAD_ROOT_EVENT: Final = "ticket"
#: The largest id a database row can have (a signed 64-bit key); larger numbers are no ticket.
_MAX_ID: Final = 2**63 - 1

_TICKET_ID = r"[1-9][0-9]{0,18}"
_TOKEN = rf"[a-z2-7]{{{TOKEN_LENGTH}}}"
_TAGGED_LOCAL_PART = re.compile(
    rf"(?P<base>.+)\+t(?P<ticket_id>{_TICKET_ID})\.(?P<token>{_TOKEN})", re.IGNORECASE
)
_MESSAGE_ID = re.compile(
    rf"<?t(?P<ticket_id>{_TICKET_ID})\.(?P<token>{_TOKEN})\.[0-9a-f]{{{EVENT_HASH_LENGTH}}}@[^<>@\s]+>?",
    re.IGNORECASE,
)


def reply_address(ticket_id: int) -> str:
    """The address a reply about ticket ``ticket_id`` goes to: ``SUPPORT_EMAIL`` with a tag.

    ``support@example.com`` becomes ``support+t42.<token>@example.com`` (plus addressing, which
    Postfix, Exim, Gmail and the inbound providers deliver to ``support@``).
    """
    local_part, domain = _support_mailbox()
    return f"{local_part}+t{ticket_id}.{_token(ticket_id, settings.SECRET_KEY)}@{domain}"


def ticket_id_from_address(address: str) -> int | None:
    """The ticket a reply address names, if it is our support mailbox and its token verifies.

    ``address`` may be bare or with a display name (``"Support" <support+t42.x@example.com>``).
    """
    _, bare = parseaddr(address)
    local_part, _, domain = bare.rpartition("@")
    support_local, support_domain = _support_mailbox()
    if _domain(domain) != support_domain.lower():
        return None
    match = _TAGGED_LOCAL_PART.fullmatch(local_part)
    if match is None or match["base"].lower() != support_local.lower():
        return None
    return _verified(match["ticket_id"], match["token"])


def message_id(ticket_id: int, event_key: str) -> str:
    """The Message-ID of the e-mail about ``event_key`` of ticket ``ticket_id``.

    The same for every recipient and every delivery attempt of that event (it is a function of
    its arguments), so a retried or duplicated send shows once in the mail client. The event
    key is hashed: it stays out of the header, and any key gives a header-safe id.
    """
    event_hash = hashlib.sha256(event_key.encode()).hexdigest()[:EVENT_HASH_LENGTH]
    token = _token(ticket_id, settings.SECRET_KEY)
    return f"<t{ticket_id}.{token}.{event_hash}@{_support_mailbox()[1]}>"


def thread_root(ticket_id: int) -> str:
    """The Message-ID every message about the ticket refers to first (``In-Reply-To`` and the
    start of ``References``): the id of the first e-mail about the ticket."""
    return message_id(ticket_id, THREAD_ROOT_EVENT)


def ticket_id_from_message_id(message_id: str) -> int | None:
    """The ticket a Message-ID written by :func:`message_id` names, if its token verifies.

    The domain is not checked: the token is the proof, and a change of ``SUPPORT_EMAIL``
    must not orphan the threads started before it.
    """
    match = _MESSAGE_ID.fullmatch(message_id.strip())
    if match is None:
        return None
    return _verified(match["ticket_id"], match["token"])


def _verified(ticket_id_text: str, token: str) -> int | None:
    ticket_id = int(ticket_id_text)
    if ticket_id > _MAX_ID:
        return None
    token = token.lower()
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    # Every key is tried, whatever the outcome, so the time taken says nothing about which one.
    matches = [constant_time_compare(token, _token(ticket_id, key)) for key in keys]
    return ticket_id if any(matches) else None


def _token(ticket_id: int, secret: str | bytes) -> str:
    digest = salted_hmac(TOKEN_SALT, str(ticket_id), secret=secret, algorithm="sha256").digest()
    return base64.b32encode(digest).decode("ascii").lower()[:TOKEN_LENGTH]


def _support_mailbox() -> tuple[str, str]:
    """``SUPPORT_EMAIL`` as (local part, domain), the domain in its ASCII (IDNA) form."""
    address: str = parseaddr(settings.SUPPORT_EMAIL)[1]
    local_part, _, domain = address.rpartition("@")
    if not local_part or not domain:
        raise ValueError(f"SUPPORT_EMAIL is not an e-mail address: {settings.SUPPORT_EMAIL!r}")
    return local_part, punycode(domain)


def _domain(domain: str) -> str:
    try:
        return punycode(domain).lower()
    except UnicodeError:
        return ""
