"""E-mail to a ticket's creator. Only public information is ever put in a message.

:func:`queue_status_changed` and :func:`queue_staff_reply` build the message (subject and body)
and put it in the outbox (``mail.services.queue_email``) inside the caller's transaction, under a
key naming the event, so a change and its e-mail are committed together and each event is
e-mailed once. A worker sends it after the commit, retrying while the mail server is down
(``mail.services.deliver``): no request waits for SMTP.

A message that cannot even be built (a broken template, say) is logged with the ticket's number
and the change goes ahead without it: a mail problem never turns the page that made a change
into an error.

User text reaches a header only through :func:`header_text`. The ticket title is refused at
input when it holds a line break, but rows written before that rule (or by raw SQL) still
exist, and Django refuses to send a message whose header contains a line break.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from accounts.validators import is_control_character
from mail.services import queue_email

if TYPE_CHECKING:
    from tickets.models import Comment, Ticket, TicketChange

logger = logging.getLogger(__name__)

# How much of a title a subject carries: mail clients show about this much of a subject line.
SUBJECT_TITLE_LENGTH = 100


def header_text(value: str, *, max_length: int) -> str:
    """``value`` made fit for one e-mail header: one line, at most ``max_length`` characters.

    Control and format characters (CR, LF, TAB, NUL, bidirectional overrides...) become
    spaces, runs of whitespace (including Unicode line separators) become one space, and text
    longer than ``max_length`` is cut and ends with "…".
    """
    folded = "".join(" " if is_control_character(character) else character for character in value)
    one_line = " ".join(folded.split())
    if len(one_line) <= max_length:
        return one_line
    return one_line[: max_length - 1].rstrip() + "…"


def status_change_event(change: TicketChange) -> str:
    """The outbox key of a status change's e-mail: one e-mail per recorded change."""
    return f"ticket-{change.ticket_id}-change-{change.pk}"


def staff_reply_event(comment: Comment) -> str:
    """The outbox key of a staff reply's e-mail: one e-mail per reply."""
    return f"ticket-{comment.ticket_id}-comment-{comment.pk}"


def queue_status_changed(*, ticket: Ticket, change: TicketChange) -> None:
    """Queue the e-mail telling the creator their ticket changed status (``change`` is saved)."""
    _queue_to_creator(
        ticket,
        event_key=status_change_event(change),
        subject_end=f"now {change.new_display}",
        template="tickets/email/status_changed.txt",
        context={"change": change},
    )


def queue_staff_reply(*, comment: Comment) -> None:
    """Queue a public staff reply for the creator; internal notes are refused outright."""
    if comment.is_internal:
        raise ValueError("Internal notes are never e-mailed.")
    _queue_to_creator(
        comment.ticket,
        event_key=staff_reply_event(comment),
        subject_end="new reply",
        template="tickets/email/staff_reply.txt",
        context={"comment": comment},
    )


def ticket_url(ticket: Ticket) -> str:
    site_url: str = settings.SITE_URL
    return site_url.rstrip("/") + ticket.get_absolute_url()


def _subject(ticket: Ticket, end: str) -> str:
    title = header_text(ticket.title, max_length=SUBJECT_TITLE_LENGTH)
    return f"[#{ticket.pk}] {title}: {end}"


def _queue_to_creator(
    ticket: Ticket, *, event_key: str, subject_end: str, template: str, context: dict[str, object]
) -> None:
    creator = ticket.creator
    if not creator.email:
        return
    try:
        # A savepoint: whatever fails here leaves the caller's transaction (the change) usable.
        with transaction.atomic():
            body = render_to_string(
                template,
                {"ticket": ticket, "creator": creator, "url": ticket_url(ticket), **context},
            )
            queue_email(
                event_key=event_key,
                to=creator.email,
                subject=_subject(ticket, subject_end),
                body=body,
            )
    except Exception:  # A change must never fail for its e-mail; logged for follow-up.
        logger.exception("Could not e-mail the creator of ticket #%s.", ticket.pk)
