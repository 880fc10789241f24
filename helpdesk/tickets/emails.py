"""E-mail to a ticket's creator. Only public information is ever put in a message.

The senders (:func:`send_status_changed`, :func:`send_staff_reply`) are small and raise when
sending fails, so a task queue can later call them and retry. ``tickets.services`` does not call
them directly: it hands them to :func:`send_after_commit`, which runs them once the change is
committed and logs any failure with the ticket's number. By then the change is saved, so no
mail problem (a refused header, a template error, a mail server that is down) may turn the
page that made it into an error.

User text reaches a header only through :func:`header_text`. The ticket title is refused at
input when it holds a line break, but rows written before that rule (or by raw SQL) still
exist, and Django refuses to send a message whose header contains a line break.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from accounts.validators import is_control_character

if TYPE_CHECKING:
    from collections.abc import Callable

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


def send_status_changed(*, ticket: Ticket, change: TicketChange) -> None:
    """Tell the creator their ticket changed status. Raises when the message cannot be sent."""
    _send_to_creator(
        ticket,
        subject_end=f"now {change.new_display}",
        template="tickets/email/status_changed.txt",
        context={"change": change},
    )


def send_staff_reply(*, comment: Comment) -> None:
    """Send a public staff reply to the creator; internal notes are refused outright.

    Raises when the message cannot be sent.
    """
    if comment.is_internal:
        raise ValueError("Internal notes are never e-mailed.")
    _send_to_creator(
        comment.ticket,
        subject_end="new reply",
        template="tickets/email/staff_reply.txt",
        context={"comment": comment},
    )


def send_after_commit(send: Callable[[], None], *, ticket: Ticket) -> None:
    """Run ``send`` when the current transaction commits; log a failure, never raise it.

    Any exception is caught (not only SMTP errors): whatever breaks, the committed change stays
    and the person who made it sees their success message. The log line names the ticket so the
    creator can be told another way.
    """
    ticket_id = ticket.pk

    def send_or_log() -> None:
        try:
            send()
        except Exception:  # A committed change must never become a 500; logged for follow-up.
            logger.exception("Could not e-mail the creator of ticket #%s.", ticket_id)

    transaction.on_commit(send_or_log)


def ticket_url(ticket: Ticket) -> str:
    site_url: str = settings.SITE_URL
    return site_url.rstrip("/") + ticket.get_absolute_url()


def _subject(ticket: Ticket, end: str) -> str:
    title = header_text(ticket.title, max_length=SUBJECT_TITLE_LENGTH)
    return f"[#{ticket.pk}] {title}: {end}"


def _send_to_creator(
    ticket: Ticket, *, subject_end: str, template: str, context: dict[str, object]
) -> None:
    creator = ticket.creator
    if not creator.email:
        return
    body = render_to_string(
        template, {"ticket": ticket, "creator": creator, "url": ticket_url(ticket), **context}
    )
    send_mail(_subject(ticket, subject_end), body, None, [creator.email])
