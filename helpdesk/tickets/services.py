"""The only code paths that change a ticket: views, the dashboard and the admin all call these.

Each function runs in one transaction, writes the history rows for what it changed and puts the
creator's e-mail in the outbox in that same transaction (``tickets.emails``), so a rolled-back
change never sends mail and a committed one is e-mailed by a worker, however long the mail
server is down.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from satisfaction.services import clear_rating
from sla import services as sla
from tickets import emails
from tickets.models import (
    Comment,
    Priority,
    Status,
    Ticket,
    TicketChange,
    TicketChannel,
    TrackedField,
    can_change_status,
    refused_status_change_message,
)

if TYPE_CHECKING:
    from accounts.models import User


class _Keep(enum.Enum):
    KEEP = enum.auto()


KEEP: Final = _Keep.KEEP
"""Default of :func:`update_ticket`'s arguments: leave this field as it is."""


@transaction.atomic
def open_ticket(
    *,
    creator: User,
    title: str,
    description: str,
    priority: str,
    channel: str = TicketChannel.WEB,
    follows_up: Ticket | None = None,
    notify: bool = True,
) -> Ticket:
    """Create a ticket owned by ``creator``: the logged-in user, or the verified sender of an
    inbound e-mail (``channel=TicketChannel.EMAIL``), never form input.

    The staff are e-mailed about it (``tickets.emails.queue_new_ticket``) unless
    ``notify=False``, as for :func:`update_ticket`. ``follows_up`` is the resolved ticket a
    late reply continues (``tickets.reopening``). Its service-level targets are set from its
    opening time in the same INSERT (``sla.services.start_clocks``).
    """
    now = timezone.now()
    ticket = Ticket(
        creator=creator,
        title=title,
        description=description,
        priority=priority,
        channel=channel,
        follows_up=follows_up,
        created_at=now,
    )
    sla.start_clocks(ticket, opened_at=now)
    ticket.save(force_insert=True)
    if notify:
        emails.queue_new_ticket(ticket=ticket)
    return ticket


@transaction.atomic
def update_ticket(
    *,
    ticket: Ticket,
    actor: User,
    status: str | _Keep = KEEP,
    priority: str | _Keep = KEEP,
    assignee: User | _Keep | None = KEEP,
    notify: bool = True,
) -> list[TicketChange]:
    """Change a ticket's status, priority and/or assignee as ``actor``; record every change.

    Raises ``PermissionDenied`` unless ``actor`` is staff and ``ValidationError`` (keyed by
    field) for a disallowed status move, an unknown priority or a non-staff assignee. The row is
    re-read under a lock so the recorded old values are the ones actually replaced. ``ticket``
    is updated in place, with its service-level targets moved in the same UPDATE
    (``sla.services``). Returns the changes made; an empty list when nothing differed.
    ``notify=False`` records the change without e-mailing the creator: for replaying history
    that is news to nobody, such as the demo data.
    """
    if not actor.is_staff:
        raise PermissionDenied("Only staff change a ticket's status, priority or assignee.")
    current = (
        Ticket.objects.select_for_update(of=("self",)).select_related("assignee").get(pk=ticket.pk)
    )
    changes: list[TicketChange] = []
    now = timezone.now()
    old_status, old_priority = current.status, current.priority

    if status is not KEEP and status != current.status:
        if status not in Status.values:
            raise ValidationError({"status": f"“{status}” is not a ticket status."})
        if not can_change_status(current.status, status):
            raise ValidationError({"status": refused_status_change_message(current.status, status)})
        changes.append(_change(TrackedField.STATUS, current.status, status))
        if current.status == Status.RESOLVED:
            # The rating was of the resolution the ticket is leaving (a new one will be asked).
            clear_rating(current)
        current.status = status
        current.resolved_at = now if status == Status.RESOLVED else None
        sla.change_status(current, old_status=old_status, now=now)

    if priority is not KEEP and priority != current.priority:
        if priority not in Priority.values:
            raise ValidationError({"priority": f"“{priority}” is not a priority."})
        changes.append(_change(TrackedField.PRIORITY, current.priority, priority))
        current.priority = priority
        # After the status: a reopening's fresh target is then re-based on the new priority.
        sla.change_priority(current, old_priority=old_priority)

    if assignee is not KEEP and _pk(assignee) != current.assignee_id:
        if assignee is not None and not (assignee.is_staff and assignee.is_active):
            raise ValidationError({"assignee": "Tickets can only be assigned to active staff."})
        old_name = current.assignee.get_username() if current.assignee else ""
        new_name = assignee.get_username() if assignee else ""
        changes.append(_change(TrackedField.ASSIGNEE, old_name, new_name))
        current.assignee = assignee

    if not changes:
        return []

    saved = ["status", "resolved_at", "priority", "assignee", "updated_at", *sla.TARGET_FIELDS]
    current.save(update_fields=saved)
    for change in changes:
        change.ticket = current
        change.actor = actor
    TicketChange.objects.bulk_create(changes)

    for field in saved:
        setattr(ticket, field, getattr(current, field))

    status_change = next((c for c in changes if c.field == TrackedField.STATUS), None)
    if notify and status_change is not None and actor.pk != current.creator_id:
        emails.queue_status_changed(ticket=current, change=status_change)
    return changes


@transaction.atomic
def add_comment(
    *, ticket: Ticket, author: User, body: str, internal: bool = False, notify: bool = True
) -> Comment:
    """Post a reply (or, for staff, an internal note) to a ticket's conversation.

    Only the creator and staff may post; only staff may post internal notes. A public staff
    reply is e-mailed to the creator, a customer's reply to the assignee or, while unassigned,
    every staff member (unless ``notify=False``, as for :func:`update_ticket`); an internal
    note never leaves the staff's screens. The first public staff reply meets the ticket's
    first-response target, in the same UPDATE that marks the ticket updated.
    """
    if internal and not author.is_staff:
        raise PermissionDenied("Only staff post internal notes.")
    if not author.is_staff and author.pk != ticket.creator_id:
        raise PermissionDenied("Only the ticket's creator and staff post replies.")
    comment = Comment.objects.create(ticket=ticket, author=author, body=body, is_internal=internal)
    now = timezone.now()
    answers = sla.meets_first_response(author=author, internal=internal)
    targets = sla.first_response_update(now=now) if answers else {}
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=now, **targets)
    ticket.updated_at = now
    if answers:
        sla.record_first_response(ticket, now=now)
    if notify and not internal:
        if not author.is_staff:
            emails.queue_customer_reply(comment=comment)
        elif author.pk != ticket.creator_id:
            emails.queue_staff_reply(comment=comment)
    return comment


def _change(field: TrackedField, old: str, new: str) -> TicketChange:
    return TicketChange(field=field, old_value=old, new_value=new)


def _pk(user: User | None) -> int | None:
    return None if user is None else user.pk
