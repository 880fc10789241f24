"""E-mail to a ticket's creator. Only public information is ever put in a message.

Called by ``tickets.services`` after the transaction commits. A mail server that fails is
logged, not raised: the change is already saved and the page should say so.
"""

from __future__ import annotations

import logging
from smtplib import SMTPException
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

if TYPE_CHECKING:
    from tickets.models import Comment, Ticket, TicketChange

logger = logging.getLogger(__name__)


def send_status_changed(*, ticket: Ticket, change: TicketChange) -> None:
    _send_to_creator(
        ticket,
        subject=f"[#{ticket.pk}] {ticket.title}: now {change.new_display}",
        template="tickets/email/status_changed.txt",
        context={"change": change},
    )


def send_staff_reply(*, comment: Comment) -> None:
    """Send a public staff reply to the creator; internal notes are refused outright."""
    if comment.is_internal:
        raise ValueError("Internal notes are never e-mailed.")
    ticket = comment.ticket
    _send_to_creator(
        ticket,
        subject=f"[#{ticket.pk}] {ticket.title}: new reply",
        template="tickets/email/staff_reply.txt",
        context={"comment": comment},
    )


def ticket_url(ticket: Ticket) -> str:
    site_url: str = settings.SITE_URL
    return site_url.rstrip("/") + ticket.get_absolute_url()


def _send_to_creator(
    ticket: Ticket, *, subject: str, template: str, context: dict[str, object]
) -> None:
    creator = ticket.creator
    if not creator.email:
        return
    body = render_to_string(
        template, {"ticket": ticket, "creator": creator, "url": ticket_url(ticket), **context}
    )
    try:
        send_mail(subject, body, None, [creator.email])
    except (SMTPException, OSError):
        logger.exception("Could not e-mail %s about ticket #%s.", creator.email, ticket.pk)
