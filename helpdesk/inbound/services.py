"""What the help desk does with one received e-mail, whichever way it came in.

:func:`receive` is the only entry point: ``manage.py receive_email`` (an MTA pipe) and the
Mailgun webhook (through anymail's ``inbound`` signal) both hand it the raw message. In order:

1. **Size**: over ``INBOUND_EMAIL_MAX_BYTES`` the message is dropped before it is parsed.
2. **Parse** (:mod:`inbound.parsing`): no single valid From address → dropped as malformed.
3. **Automatic mail** (auto-replies, bounces, lists) and **our own mail** coming back → dropped,
   never answered: answering is how two robots mail each other forever.
4. **Once only**: the log row (:class:`~inbound.models.InboundEmail`, unique Message-ID) is
   written in the same transaction as what the message makes; a redelivery changes nothing.
5. **Reply**: a ticket named by a verified token, in a recipient address or in
   In-Reply-To/References (:mod:`mail.threading`), never by the subject. The sender must be
   the ticket's creator (a customer reply) or an active staff member (a public staff reply,
   e-mailed to the customer); anyone else is handled as in 6., as a message of their own.
6. **New ticket** for the account with the sender's address, or, for an address no account
   has, by the ``HELPDESK_EMAIL_CREATES_ACCOUNTS`` policy: a new customer account (unusable
   password, claimed through the password reset) or a polite reply asking them to sign up,
   sent at most once a day per address.

Tickets and replies are made by ``tickets.services`` (the same rules and notifications as the
site), their files by ``attachments.services`` (the same checks as an upload), all in one
transaction: a failure part-way leaves no ticket, no reply, no file and no log row.

Threat model: on a pipe, the help desk cannot tell a forged From from a real one (the SPF and
DKIM verdicts belong to the receiving MTA or the provider, which should reject failures before
the message reaches us). What a forger can do is bounded by the token: to add a reply to a
ticket they need its reply address or a Message-ID of ours, which only the people on the
ticket's conversation received, *and* to forge the creator's or a staff member's address. A
forged From without a token can open a ticket in someone's name (as anyone can by writing to a
support address) but never reads anything: answers go to the real owner's address.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from email.utils import parseaddr
from typing import TYPE_CHECKING, Final

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from attachments import services as attachments
from inbound.models import Channel, InboundEmail, Outcome
from inbound.parsing import MalformedMessage, ParsedEmail, message_key, parse
from mail import threading
from mail.models import OutboundEmail
from mail.services import queue_email
from tickets import reopening
from tickets import services as tickets
from tickets.emails import header_text
from tickets.models import Priority, Ticket, TicketChannel

if TYPE_CHECKING:
    from accounts.models import User
    from tickets.models import Comment

logger = logging.getLogger(__name__)

#: The title of a ticket opened by a message without a subject.
NO_SUBJECT: Final = "(no subject)"
#: The text of a ticket or reply whose message had attachments and no text.
ATTACHMENTS_ONLY: Final = "(No text: see the attachments.)"
#: How much of the subject a ticket's title keeps (the field's length).
TITLE_LENGTH: Final = 200
_USERNAME_CHARACTERS: Final = re.compile(r"[^\w.@+-]")
_USERNAME_LENGTH: Final = 150


@dataclass(frozen=True)
class Receipt:
    """What became of one message; ``duplicate`` when it had been received before."""

    outcome: Outcome
    reason: str = ""
    ticket: Ticket | None = None
    comment: Comment | None = None
    duplicate: bool = False


def receive(raw: bytes, *, channel: Channel, notify: bool = True) -> Receipt:
    """Act on one received message (see the module docstring); never raises for its content.

    ``notify=False`` files it without e-mailing anyone (no staff notification, no invitation):
    for the demo data, as ``tickets.services`` does.

    A database that is unreachable does raise (``DatabaseError``): the caller answers "try
    again later" (exit code 75, HTTP 5xx) and the redelivery is handled as if it were the first.
    """
    size = len(raw)
    limit: int = settings.INBOUND_EMAIL_MAX_BYTES
    if size > limit:
        reason = f"too large: {size} bytes, over the limit of {limit}"
        logger.warning("Inbound e-mail (%s) dropped, %s.", channel, reason)
        return _log_only(message_key(raw), channel=channel, size=size, reason=reason)
    try:
        parsed = parse(raw)
    except MalformedMessage as error:
        reason = f"malformed: {error}"
        logger.warning("Inbound e-mail (%s) dropped, %s.", channel, reason)
        return _log_only(message_key(raw), channel=channel, size=size, reason=reason)
    except Exception as error:  # the email package failing on some input it should survive
        reason = f"malformed: the parser failed ({type(error).__name__})"
        logger.exception("Inbound e-mail (%s) dropped, %s.", channel, reason)
        return _log_only(message_key(raw), channel=channel, size=size, reason=reason)

    drop_reason = parsed.automatic or _our_own(parsed)
    if drop_reason:
        logger.info(
            "Inbound e-mail %s from %s dropped: %s.", parsed.message_id, parsed.sender, drop_reason
        )
        return _log_only(
            parsed.message_id, channel=channel, size=size, reason=drop_reason, parsed=parsed
        )

    with transaction.atomic():
        log = _start_log(parsed.message_id, channel=channel, size=size, parsed=parsed)
        if log is None:
            return _duplicate(parsed.message_id)
        receipt = _act(parsed, notify=notify)
        log.outcome = receipt.outcome
        log.reason = receipt.reason[:200]
        log.ticket = receipt.ticket
        log.comment = receipt.comment
        log.author = _author_of(receipt)
        log.save(update_fields=["outcome", "reason", "ticket", "comment", "author"])
    logger.info(
        "Inbound e-mail %s from %s: %s%s.",
        parsed.message_id,
        parsed.sender,
        receipt.outcome.label.lower(),
        f" #{receipt.ticket.pk}" if receipt.ticket is not None else f" ({receipt.reason})",
    )
    return receipt


def _act(parsed: ParsedEmail, *, notify: bool) -> Receipt:
    ticket = _referenced_ticket(parsed)
    if ticket is not None:
        author = _participant(ticket, parsed.sender)
        if author is not None:
            return _reply(ticket, author, parsed, notify=notify)
        logger.info(
            "Inbound e-mail %s names ticket #%s, but %s is neither its creator nor staff: "
            "handled as a message of its own.",
            parsed.message_id,
            ticket.pk,
            parsed.sender,
        )
    accounts = list(get_user_model().objects.filter(email__iexact=parsed.sender)[:2])
    if len(accounts) > 1:
        return Receipt(Outcome.DROPPED, "several accounts have this address")
    if accounts and not accounts[0].is_active:
        return Receipt(Outcome.DROPPED, "the account with this address is disabled")
    if accounts:
        return _open(accounts[0], parsed, notify=notify)
    if settings.HELPDESK_EMAIL_CREATES_ACCOUNTS:
        return _open(_new_account(parsed.sender), parsed, notify=notify, reason="new account")
    if not notify:
        return Receipt(Outcome.REFUSED, "unknown sender, not invited (notify=False)")
    return _invite(parsed)


def _referenced_ticket(parsed: ParsedEmail) -> Ticket | None:
    """The ticket a verified token names: first in the recipients, then in the references."""
    ticket_ids = [threading.ticket_id_from_address(address) for address in parsed.recipients]
    ticket_ids += [threading.ticket_id_from_message_id(ref) for ref in parsed.references]
    for ticket_id in ticket_ids:
        if ticket_id is not None:
            ticket = Ticket.objects.select_related("creator").filter(pk=ticket_id).first()
            if ticket is not None:
                return ticket
    return None


def _participant(ticket: Ticket, sender: str) -> User | None:
    """The account that may answer ``ticket`` from ``sender``: its creator, else one active
    staff member with that address (several staff sharing one is no one)."""
    creator = ticket.creator
    if creator.is_active and creator.email.casefold() == sender.casefold():
        return creator
    staff = list(
        get_user_model().objects.filter(email__iexact=sender, is_staff=True, is_active=True)[:2]
    )
    return staff[0] if len(staff) == 1 else None


def _reply(ticket: Ticket, author: User, parsed: ParsedEmail, *, notify: bool) -> Receipt:
    uploads, refused = _checked_attachments(parsed)
    body = _text(parsed, refused)
    if body is None:
        return Receipt(Outcome.DROPPED, "no text and no attachment", ticket=ticket)
    # A customer's reply to a resolved ticket may reopen it or, after the window, open a new
    # ticket: its files go wherever its text went.
    landed = reopening.reply(
        ticket=ticket, author=author, body=body, notify=notify, channel=TicketChannel.EMAIL
    )
    if uploads:
        attachments.attach(
            ticket=landed.ticket, comment=landed.comment, uploads=uploads, uploaded_by=author
        )
    if landed.followed_up:
        reason = f"follows up #{ticket.pk}, resolved before the reopen window"
        return Receipt(Outcome.OPENED, reason, ticket=landed.ticket)
    return Receipt(Outcome.REPLIED, ticket=landed.ticket, comment=landed.comment)


def _open(creator: User, parsed: ParsedEmail, *, notify: bool, reason: str = "") -> Receipt:
    uploads, refused = _checked_attachments(parsed)
    body = _text(parsed, refused)
    if body is None:
        return Receipt(Outcome.DROPPED, "no text and no attachment")
    ticket = tickets.open_ticket(
        creator=creator,
        title=header_text(parsed.subject, max_length=TITLE_LENGTH) or NO_SUBJECT,
        description=body,
        priority=Priority.NORMAL,
        channel=TicketChannel.EMAIL,
        notify=notify,
    )
    if uploads:
        attachments.attach(ticket=ticket, comment=None, uploads=uploads, uploaded_by=creator)
    return Receipt(Outcome.OPENED, reason, ticket=ticket)


def _text(parsed: ParsedEmail, refused: list[str]) -> str | None:
    """The message's text with a line per refused attachment; ``None`` when there is nothing."""
    notes = "\n".join(f"[Not attached: {note}]" for note in refused)
    body = "\n\n".join(part for part in (parsed.body, notes) if part)
    if body:
        return body
    return ATTACHMENTS_ONLY if parsed.attachments else None


def _checked_attachments(
    parsed: ParsedEmail,
) -> tuple[list[attachments.CheckedUpload], list[str]]:
    """The attachments the upload rules accept, and a note for each one they refuse.

    Each file is checked alone (type, per-file size), then the accepted ones together (the
    per-message total): a refused file costs the message that file, not its text.
    """
    accepted: list[ContentFile[bytes]] = []
    refused: list[str] = []
    for attachment in parsed.attachments:
        file = ContentFile(attachment.content, name=attachment.filename)
        try:
            attachments.check_uploads([file])
        except ValidationError as error:
            refused.append(f"“{attachment.filename}”: {' '.join(error.messages)}")
        else:
            accepted.append(ContentFile(attachment.content, name=attachment.filename))
    if not accepted:
        return [], refused
    try:
        return attachments.check_uploads(accepted), refused
    except ValidationError as error:
        names = ", ".join(f"“{file.name}”" for file in accepted)
        return [], [*refused, f"{names}: {' '.join(error.messages)}"]


def _new_account(address: str) -> User:
    """A customer account for ``address`` with an unusable password, under a unique username
    made of the address's allowed characters (``-2``, ``-3``... added when it is taken)."""
    base = _USERNAME_CHARACTERS.sub("", address.lower())[: _USERNAME_LENGTH - 8] or "customer"
    users = get_user_model().objects
    for attempt in range(1, 1000):
        username = base if attempt == 1 else f"{base}-{attempt}"
        if users.filter(username=username).exists():
            continue
        try:
            with transaction.atomic():  # a savepoint: a concurrent sign-up takes the next name
                return users.create_user(username=username, email=address, password=None)
        except IntegrityError:
            continue
    raise IntegrityError(f"No free username for {address!r}.")


def _invite(parsed: ParsedEmail) -> Receipt:
    """Answer an unknown sender once a day at most: the outbox's unique event key is the
    limit, so any number of messages (or forged senders' bounces) cost one e-mail a day."""
    address_hash = hashlib.sha256(parsed.sender.casefold().encode()).hexdigest()[:40]
    event_key = f"inbound-invite-{address_hash}-{timezone.now():%Y%m%d}"
    if OutboundEmail.objects.filter(event_key=event_key).exists():
        return Receipt(Outcome.REFUSED, "unknown sender, already invited today")
    site_url: str = settings.SITE_URL
    subject = header_text(parsed.subject, max_length=100)
    queue_email(
        event_key=event_key,
        to=parsed.sender,
        subject=f"Re: {subject}" if subject else "Your e-mail to the help desk",
        body=render_to_string(
            "inbound/email/unknown_sender.txt",
            {"signup_url": site_url.rstrip("/") + reverse("signup"), "subject": subject},
        ),
        in_reply_to=parsed.message_id if parsed.message_id.startswith("<") else "",
    )
    return Receipt(Outcome.REFUSED, "unknown sender, invited to sign up")


def _our_own(parsed: ParsedEmail) -> str:
    """Why ``parsed`` is mail the help desk sent itself (a loop), or "".

    Ours: a Message-ID whose token verifies (``mail.threading``); a From address that is our
    support or sender mailbox (with or without a tag); a Message-ID on our domain from a
    sender on another domain (our outbox's ids for mail about no ticket).
    """
    if threading.ticket_id_from_message_id(parsed.message_id) is not None:
        return "our own Message-ID (a mail loop)"
    sender_local, _, sender_domain = parsed.sender.casefold().rpartition("@")
    own_domains = set()
    for own in (settings.SUPPORT_EMAIL, settings.DEFAULT_FROM_EMAIL):
        own_local, _, own_domain = parseaddr(own)[1].casefold().rpartition("@")
        own_domains.add(own_domain)
        if sender_domain == own_domain and sender_local.partition("+")[0] == own_local:
            return "sent from our own address (a mail loop)"
    id_domain = parsed.message_id.rstrip(">").rpartition("@")[2].casefold()
    if id_domain in own_domains and sender_domain not in own_domains:
        return "a Message-ID of our domain (a mail loop)"
    return ""


def _start_log(
    message_id: str, *, channel: Channel, size: int, parsed: ParsedEmail | None
) -> InboundEmail | None:
    """The message's log row, or ``None`` if it has one already (it was received before)."""
    try:
        with transaction.atomic():
            return InboundEmail.objects.create(
                message_id=message_id,
                channel=channel,
                sender=parsed.sender if parsed else "",
                subject=header_text(parsed.subject, max_length=255) if parsed else "",
                size=size,
                outcome=Outcome.DROPPED,
            )
    except IntegrityError:
        if InboundEmail.objects.filter(message_id=message_id).exists():
            return None
        raise


def _log_only(
    message_id: str,
    *,
    channel: Channel,
    size: int,
    reason: str,
    parsed: ParsedEmail | None = None,
) -> Receipt:
    with transaction.atomic():
        log = _start_log(message_id, channel=channel, size=size, parsed=parsed)
        if log is None:
            return _duplicate(message_id)
        log.reason = reason[:200]
        log.save(update_fields=["reason"])
    return Receipt(Outcome.DROPPED, reason)


def _duplicate(message_id: str) -> Receipt:
    first = InboundEmail.objects.select_related("ticket", "comment").get(message_id=message_id)
    logger.info("Inbound e-mail %s was received before: nothing done.", message_id)
    return Receipt(
        Outcome(first.outcome),
        first.reason,
        ticket=first.ticket,
        comment=first.comment,
        duplicate=True,
    )


def _author_of(receipt: Receipt) -> User | None:
    if receipt.comment is not None:
        return receipt.comment.author
    if receipt.ticket is not None:
        return receipt.ticket.creator
    return None
