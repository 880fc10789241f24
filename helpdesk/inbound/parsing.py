"""One parser for every way mail comes in: raw RFC 5322 bytes to a :class:`ParsedEmail`.

Python's ``email`` package with ``policy.default`` does the MIME work; this module decides what
the help desk trusts of it:

- **From** must be one header holding one address that Django's ``validate_email`` accepts
  and that has no control characters. Anything else (no From, two From headers, a group, an
  address list, a display name hiding a second address) is :class:`MalformedMessage`. The
  display name is never used for anything but the log: it cannot inject a header into mail we
  send, because our mail names the bare address only.
- **Text** comes from the first ``text/plain`` body, else the first ``text/html`` body turned
  into text (:func:`inbound.text.html_to_text`); a declared charset that Python does not know,
  or bytes that do not fit the declared one, are decoded as UTF-8 with replacement characters.
- **Attachments** are every other leaf part with a file name or an ``attachment`` disposition,
  and every attached message (``message/rfc822``, kept whole as an ``.eml`` file). Whether one
  is accepted is the attachments service's decision, the same as for an upload.
- **Automatic mail** (auto-replies, bounces, mailing lists, our own messages coming back) is
  recognised by its headers: :attr:`ParsedEmail.automatic` says why, and it is dropped.

Every header is read defensively: a header the parser cannot make sense of counts as missing,
never as an exception.
"""

from __future__ import annotations

import codecs
import hashlib
import mimetypes
import re
from dataclasses import dataclass, field
from email import policy
from email.headerregistry import AddressHeader
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses
from typing import Final

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from accounts.validators import is_control_character
from inbound.text import html_to_text, trim_quoted

#: A Message-ID longer than this is not kept (the log's column); the message's hash is used.
MESSAGE_ID_LENGTH: Final = 255
#: Message-IDs read from In-Reply-To and References; a longer chain is cut to its newest ones.
MAX_REFERENCES: Final = 50

_MSG_ID: Final = re.compile(r"<[^<>\s]{1,250}>")


class MalformedMessage(ValueError):
    """The bytes are not a message the help desk can act on; the text says why (for the log)."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class ParsedEmail:
    """What the help desk uses of one inbound message."""

    #: The Message-ID, or ``sha256:<hex>`` of the raw bytes when it has none (or a silly one):
    #: the key that makes a redelivered message a duplicate.
    message_id: str
    sender: str
    sender_name: str
    subject: str
    #: Every address the message was delivered to (To, Cc, Delivered-To, X-Original-To).
    recipients: tuple[str, ...]
    #: Message-IDs of In-Reply-To and References, newest first.
    references: tuple[str, ...]
    #: The new text of the message: HTML converted, quoted history trimmed.
    body: str
    attachments: tuple[Attachment, ...] = field(default=())
    #: Why this is automatic mail that must not be answered or turned into a ticket, or "".
    automatic: str = ""


def message_key(raw: bytes) -> str:
    """The key of a message that has no usable Message-ID: the hash of its bytes."""
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def parse(raw: bytes) -> ParsedEmail:
    """Parse ``raw``; :class:`MalformedMessage` if it has no single valid sender address."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    if not isinstance(message, EmailMessage) or not message.keys():
        raise MalformedMessage("no headers")
    sender_name, sender = _sender(message)
    own_id = _message_ids(_header(message, "Message-ID"))
    message_id = own_id[0] if own_id else message_key(raw)
    references = _message_ids(_header(message, "In-Reply-To"))
    references += [
        reference
        for reference in reversed(_message_ids(_header(message, "References")))
        if reference not in references
    ]
    body_part = _body_part(message)
    body = _body_text(body_part) if body_part is not None else ""
    return ParsedEmail(
        message_id=message_id,
        sender=sender,
        sender_name=sender_name,
        subject=" ".join(_header(message, "Subject").split()),
        recipients=_recipients(message),
        references=tuple(references[:MAX_REFERENCES]),
        body=body,
        attachments=tuple(_attachments(message, body_part)),
        automatic=_automatic(message, sender),
    )


def _header(message: Message, name: str) -> str:
    """The first ``name`` header as text, "" when missing or unreadable."""
    try:
        value = message.get(name)
    except Exception:  # the header registry raises on some malformed values
        return ""
    return "" if value is None else str(value)


def _all_headers(message: Message, name: str) -> list[str]:
    """Every ``name`` header's raw text, unparsed (parsing may raise; counting must not)."""
    wanted = name.lower()
    return [str(value) for key, value in message.raw_items() if key.lower() == wanted]


def _sender(message: Message) -> tuple[str, str]:
    headers = _all_headers(message, "From")
    if len(headers) != 1:
        raise MalformedMessage(f"{len(headers)} From headers")
    try:
        header = message["From"]
    except Exception as error:  # e.g. a display name decoding to a line break
        raise MalformedMessage("an unreadable From header") from error
    if not isinstance(header, AddressHeader):
        raise MalformedMessage("an unreadable From header")
    addresses = list(header.addresses)
    if len(addresses) != 1:
        raise MalformedMessage(f"{len(addresses)} addresses in From")
    address = addresses[0]
    sender = address.addr_spec
    if any(is_control_character(character) for character in sender):
        raise MalformedMessage("a control character in the From address")
    # The header parser reads "a@b.example"@evil.example correctly, but also gives odd
    # results for broken input; only an address Django would accept from a form counts.
    if "@" not in sender or not address.username or not address.domain:
        raise MalformedMessage("a From address without a domain")
    try:
        validate_email(sender)
    except ValidationError as error:
        raise MalformedMessage("an invalid From address") from error
    name = " ".join(
        "".join(" " if is_control_character(c) else c for c in address.display_name).split()
    )
    return name, sender


def _recipients(message: Message) -> tuple[str, ...]:
    values: list[str] = []
    for name in ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To"):
        values += _all_headers(message, name)
    return tuple(address for _, address in getaddresses(values) if "@" in address)


def _message_ids(value: str) -> list[str]:
    ids = _MSG_ID.findall(value)
    return [msg_id for msg_id in ids if len(msg_id) <= MESSAGE_ID_LENGTH]


def _automatic(message: Message, sender: str) -> str:
    """Why ``message`` was sent by a machine and must not be answered, or ""."""
    auto_submitted = _header(message, "Auto-Submitted").split(";")[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted[:40]}"
    precedence = _header(message, "Precedence").strip().lower()
    if precedence in {"bulk", "junk", "list", "auto_reply"}:
        return f"Precedence: {precedence}"
    if message.get_content_type() == "multipart/report":
        return "a delivery status report (multipart/report)"
    for name in ("X-Autoreply", "X-Autorespond", "X-Autoresponder", "List-Id"):
        if name in message:
            return f"a {name} header"
    return_paths = _all_headers(message, "Return-Path")
    if return_paths and return_paths[-1].strip() in {"<>", ""}:
        return "an empty Return-Path (a bounce)"
    local_part = sender.rpartition("@")[0].lower()
    if local_part in {"mailer-daemon", "postmaster"}:
        return f"sent by {local_part}"
    return ""


def _body_part(message: EmailMessage) -> EmailMessage | None:
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:
        return None
    return part if isinstance(part, EmailMessage) else None


def _body_text(part: EmailMessage) -> str:
    text = _decoded_text(part)
    if part.get_content_subtype() == "html":
        text = html_to_text(text)
    return trim_quoted(text)


def _decoded_text(part: Message) -> str:
    """The part's text, whatever its charset claims: unknown or wrong charsets never raise."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        codecs.lookup(charset)
    except (LookupError, ValueError):
        charset = "utf-8"
    try:
        return payload.decode(charset)
    except (UnicodeDecodeError, LookupError):
        return payload.decode("utf-8", errors="replace")


def _attachments(message: Message, body_part: Message | None) -> list[Attachment]:
    found: list[Attachment] = []
    _collect(message, body_part, found)
    return found


def _collect(part: Message, body_part: Message | None, found: list[Attachment]) -> None:
    if part is body_part:
        return
    content_type = part.get_content_type()
    if content_type == "message/rfc822":
        inner = part.get_payload()
        attached = inner[0] if isinstance(inner, list) and inner else None
        if isinstance(attached, Message):
            found.append(
                Attachment(
                    filename=_filename(part, content_type, len(found)),
                    content_type=content_type,
                    content=attached.as_bytes(policy=policy.default),
                )
            )
        return
    if part.is_multipart():
        payload = part.get_payload()
        for child in payload if isinstance(payload, list) else ():
            if isinstance(child, Message):
                _collect(child, body_part, found)
        return
    disposition = (part.get_content_disposition() or "").lower()
    try:
        named = part.get_filename() is not None
    except Exception:
        named = False
    if disposition != "attachment" and not named:
        return  # an alternative body (the HTML of a text message) or a part with no file
    content = part.get_payload(decode=True)
    if not isinstance(content, bytes) or not content:
        return
    found.append(
        Attachment(
            filename=_filename(part, content_type, len(found)),
            content_type=content_type,
            content=content,
        )
    )


def _filename(part: Message, content_type: str, index: int) -> str:
    """The attachment's file name without any folder, control character or leading dot."""
    try:
        name = part.get_filename() or ""
    except Exception:
        name = ""
    name = name.replace("\\", "/").rpartition("/")[2]
    name = "".join(c for c in name if not is_control_character(c)).strip().lstrip(".")
    if not name:
        extension = ".eml" if content_type == "message/rfc822" else ""
        extension = extension or mimetypes.guess_extension(content_type) or ".bin"
        name = f"attachment-{index + 1}{extension}"
    return name[:200]
