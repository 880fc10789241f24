"""Where a reply goes: the one decision the reply form and inbound e-mail both leave to here.

A customer who answers a resolved ticket usually means "this is not fixed after all": within
``HELPDESK_REOPEN_WINDOW_DAYS`` of its resolution the reply reopens the ticket, recorded in its
history as the customer's own change. Later than that, the old conversation is history and the
reply most likely a new problem; it becomes a new ticket that links back (``Ticket.follows_up``)
instead of reviving a ticket whose figures were closed long ago. Staff replies and internal
notes never reopen anything: staff change a status explicitly (``services.update_ticket``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Final

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from satisfaction.services import clear_rating
from sla import services as sla
from tickets import services
from tickets.models import Comment, Status, Ticket, TicketChange, TicketChannel, TrackedField

if TYPE_CHECKING:
    from datetime import datetime

    from accounts.models import User

#: Put before an old ticket's title to name the ticket that follows it up.
FOLLOW_UP_PREFIX: Final = "Re: "
_TITLE_LENGTH: Final = Ticket._meta.get_field("title").max_length or 200


@dataclass(frozen=True)
class Reply:
    """Where a reply landed: ``ticket`` is the page to show next.

    ``comment`` is the posted comment, or ``None`` when the reply opened the new ticket
    ``ticket`` (its text is that ticket's description). ``reopened`` says the reply moved its
    ticket from Resolved back to Open.
    """

    ticket: Ticket
    comment: Comment | None
    reopened: bool = False

    @property
    def followed_up(self) -> bool:
        return self.comment is None


def reopen_window() -> timedelta:
    return timedelta(days=settings.HELPDESK_REOPEN_WINDOW_DAYS)


def reopens(ticket: Ticket, *, at: datetime) -> bool:
    """Whether a customer's reply at ``at`` still reopens ``ticket`` (the window's end included)."""
    return ticket.resolved_at is not None and at <= ticket.resolved_at + reopen_window()


def is_customer_reply(ticket: Ticket, author: User, *, internal: bool = False) -> bool:
    """A public reply by the ticket's creator who is not staff: the only kind that reopens."""
    return not internal and not author.is_staff and author.pk == ticket.creator_id


def starts_new_ticket(ticket: Ticket, author: User, *, at: datetime | None = None) -> bool:
    """Whether ``author`` replying to ``ticket`` now would open a new ticket: for the note the
    reply form shows before the customer writes."""
    return (
        ticket.status == Status.RESOLVED
        and is_customer_reply(ticket, author)
        and not reopens(ticket, at=at or timezone.now())
    )


@transaction.atomic
def reply(
    *,
    ticket: Ticket,
    author: User,
    body: str,
    internal: bool = False,
    notify: bool = True,
    channel: str = TicketChannel.WEB,
    now: datetime | None = None,
) -> Reply:
    """Post ``body`` by ``author`` on ``ticket``, reopening it or following it up as needed.

        Permissions are ``services.add_comment``'s (and ``open_ticket``'s, the author being the
        creator). The ticket row is locked first, so a staff member resolving or reopening it at
        the same moment is either before or after this reply, never half of both. Reopening,
        its history row and the comment are one transaction. ``channel`` is the way the reply came
    in, which a follow-up ticket records as its own. ``now`` fixes the clock for tests.
    """
    now = now or timezone.now()
    current = Ticket.objects.select_for_update(of=("self",)).get(pk=ticket.pk)
    if current.status != Status.RESOLVED or not is_customer_reply(
        current, author, internal=internal
    ):
        comment = services.add_comment(
            ticket=ticket, author=author, body=body, internal=internal, notify=notify
        )
        return Reply(ticket, comment)
    if not reopens(current, at=now):
        follow_up = services.open_ticket(
            creator=author,
            title=follow_up_title(current.title),
            description=body,
            priority=current.priority,
            channel=channel,
            follows_up=current,
            notify=notify,
        )
        return Reply(follow_up, None)
    current.status = Status.OPEN
    current.resolved_at = None
    # A fresh resolution target from this reply (``sla.services.change_status`` says why).
    sla.change_status(current, old_status=Status.RESOLVED, now=now)
    current.save(update_fields=["status", "resolved_at", "updated_at", *sla.TARGET_FIELDS])
    clear_rating(current)  # it rated the resolution this reply undoes
    TicketChange.objects.create(
        ticket=current,
        actor=author,
        field=TrackedField.STATUS,
        old_value=Status.RESOLVED,
        new_value=Status.OPEN,
    )
    ticket.status, ticket.resolved_at = current.status, current.resolved_at
    for field in sla.TARGET_FIELDS:
        setattr(ticket, field, getattr(current, field))
    comment = services.add_comment(ticket=ticket, author=author, body=body, notify=notify)
    return Reply(ticket, comment, reopened=True)


def follow_up_title(title: str) -> str:
    """``Re: <title>`` within the title's length (an old ``Re:`` is not doubled)."""
    if not title.startswith(FOLLOW_UP_PREFIX):
        title = FOLLOW_UP_PREFIX + title
    if len(title) > _TITLE_LENGTH:
        title = title[: _TITLE_LENGTH - 1].rstrip() + "…"
    return title
