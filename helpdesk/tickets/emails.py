"""E-mail about tickets: to the creator, and to the staff who should act on them.

Who hears about what (each kind can be turned off by its recipient on the notifications page,
``accounts.models.NotificationKind``; the author of an event is never told about it):

- a new ticket: its assignee if it has one, else every active staff member;
- a customer's reply: the assignee, or every active staff member while unassigned;
- a public staff reply and a status change: the ticket's creator. Internal notes: nobody.

Each function builds the message (subject, text and HTML bodies) and puts it in the outbox
(``mail.services``) inside the caller's transaction, under a key naming the event, so a change
and its e-mail are committed together and each event is e-mailed once per recipient. Staff
notifications are one outbox row per recipient written by one INSERT, so the request costs
the same few queries however many staff there are. Every message is threaded into the
ticket's conversation (``mail.threading``): the new-ticket e-mail's Message-ID is the thread
root the others refer to, and Reply-To is the ticket's reply address. A worker sends them
after the commit, retrying while the mail server is down: no request waits for SMTP.

A message that cannot even be built (a broken template, say) is logged with the ticket's number
and the change goes ahead without it: a mail problem never turns the page that made a change
into an error.

User text reaches a header only through :func:`header_text`. The ticket title is refused at
input when it holds a line break, but rows written before that rule (or by raw SQL) still
exist, and Django refuses to send a message whose header contains a line break. In the HTML
part, user text is autoescaped like on the site's pages.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import NotificationKind, User
from accounts.validators import is_control_character
from mail.services import queue_email, queue_emails
from satisfaction.services import rating_links
from tickets.models import Status

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


def comment_event(comment: Comment) -> str:
    """The outbox key of a reply's e-mails: one e-mail per reply and recipient."""
    return f"ticket-{comment.ticket_id}-comment-{comment.pk}"


def opened_event(ticket: Ticket) -> str:
    """The outbox key of the new-ticket e-mails; their Message-ID is the thread's root."""
    return f"ticket-{ticket.pk}-opened"


def queue_status_changed(*, ticket: Ticket, change: TicketChange) -> None:
    """Queue the e-mail telling the creator their ticket changed status (``change`` is saved).

    A resolution's e-mail carries the one-click "good" and "bad" links for rating it
    (``satisfaction``): signed for this resolution, they lead to a confirmation page.
    """
    context: dict[str, object] = {"change": change}
    if change.new_value == Status.RESOLVED and ticket.resolved_at is not None:
        context["rating_links"] = rating_links(ticket)
    _queue_to_creator(
        ticket,
        kind=NotificationKind.STATUS_CHANGE,
        event_key=status_change_event(change),
        subject_end=f"now {change.new_display}",
        template="tickets/email/status_changed",
        context=context,
    )


def queue_staff_reply(*, comment: Comment) -> None:
    """Queue a public staff reply for the creator; internal notes are refused outright."""
    if comment.is_internal:
        raise ValueError("Internal notes are never e-mailed.")
    _queue_to_creator(
        comment.ticket,
        kind=NotificationKind.STAFF_REPLY,
        event_key=comment_event(comment),
        subject_end="new reply",
        template="tickets/email/staff_reply",
        context={"comment": comment},
    )


def queue_new_ticket(*, ticket: Ticket) -> None:
    """Tell the staff about a new ticket: its assignee if it has one, else all active staff.

    Its Message-ID is the thread root every later e-mail about the ticket refers to.
    """
    _queue_to_staff(
        ticket,
        kind=NotificationKind.NEW_TICKET,
        author_id=ticket.creator_id,
        event_key=opened_event(ticket),
        subject_end="new ticket",
        template="tickets/email/new_ticket",
        context={},
        starts_thread=True,
    )


def queue_customer_reply(*, comment: Comment) -> None:
    """Tell the staff about a customer's reply: the assignee, or all active staff while the
    ticket is unassigned. Internal notes are refused outright."""
    if comment.is_internal:
        raise ValueError("Internal notes are never e-mailed.")
    _queue_to_staff(
        comment.ticket,
        kind=NotificationKind.CUSTOMER_REPLY,
        author_id=comment.author_id,
        event_key=comment_event(comment),
        subject_end="customer reply",
        template="tickets/email/customer_reply",
        context={"comment": comment},
    )


def staff_recipients(ticket: Ticket, kind: NotificationKind, *, author_id: int) -> list[str]:
    """The addresses of the staff to tell about ``kind`` of event on ``ticket``.

    The assignee alone when the ticket has an active staff assignee (even if they turned the
    kind off: then nobody), else every active staff member with the kind on. Never the
    event's author, never an account without an address. One query, or two when the assignee
    is no longer active staff; never one per staff member.
    """
    active_staff = User.objects.filter(is_staff=True, is_active=True)
    staff = active_staff.exclude(email="").exclude(pk=author_id)
    if ticket.assignee_id is not None:
        assignee = list(staff.filter(pk=ticket.assignee_id).values_list("email", kind.value))
        if assignee or active_staff.filter(pk=ticket.assignee_id).exists():
            return [email for email, wanted in assignee if wanted]
    return list(staff.filter(**{kind.value: True}).order_by("pk").values_list("email", flat=True))


def ticket_url(ticket: Ticket) -> str:
    site_url: str = settings.SITE_URL
    return site_url.rstrip("/") + ticket.get_absolute_url()


def _subject(ticket: Ticket, end: str) -> str:
    title = header_text(ticket.title, max_length=SUBJECT_TITLE_LENGTH)
    return f"[#{ticket.pk}] {title}: {end}"


def _queue_to_creator(
    ticket: Ticket,
    *,
    kind: NotificationKind,
    event_key: str,
    subject_end: str,
    template: str,
    context: dict[str, object],
) -> None:
    creator = ticket.creator
    if not creator.email or not creator.wants(kind):
        return
    try:
        # A savepoint: whatever fails here leaves the caller's transaction (the change) usable.
        with transaction.atomic():
            text, html = _render(template, ticket, {"recipient": creator, **context})
            queue_email(
                event_key=event_key,
                to=creator.email,
                subject=_subject(ticket, subject_end),
                body=text,
                html_body=html,
                ticket_id=ticket.pk,
            )
    except Exception:  # A change must never fail for its e-mail; logged for follow-up.
        logger.exception("Could not e-mail the creator of ticket #%s.", ticket.pk)


def _queue_to_staff(
    ticket: Ticket,
    *,
    kind: NotificationKind,
    author_id: int,
    event_key: str,
    subject_end: str,
    template: str,
    context: dict[str, object],
    starts_thread: bool = False,
) -> None:
    try:
        with transaction.atomic():  # a savepoint, as in _queue_to_creator
            recipients = staff_recipients(ticket, kind, author_id=author_id)
            if not recipients:
                return
            text, html = _render(template, ticket, context)
            queue_emails(
                event_key=event_key,
                recipients=recipients,
                subject=_subject(ticket, subject_end),
                body=text,
                html_body=html,
                ticket_id=ticket.pk,
                starts_thread=starts_thread,
            )
    except Exception:  # A change must never fail for its e-mail; logged for follow-up.
        logger.exception("Could not e-mail the staff about ticket #%s.", ticket.pk)


def _render(template: str, ticket: Ticket, context: dict[str, object]) -> tuple[str, str]:
    """The text and HTML bodies from ``<template>.txt`` and ``<template>.html``."""
    full_context = {
        "ticket": ticket,
        "url": ticket_url(ticket),
        "preferences_url": _site_url("notifications"),
        **context,
    }
    text = render_to_string(f"{template}.txt", full_context)
    html = render_to_string(f"{template}.html", full_context)
    return text, html


def _site_url(view_name: str) -> str:
    site_url: str = settings.SITE_URL
    return site_url.rstrip("/") + reverse(view_name)
