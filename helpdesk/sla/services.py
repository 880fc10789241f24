"""How a ticket's service-level targets move when the ticket does.

``tickets.services`` and ``tickets.reopening`` call these inside their own transaction, on the
row they are about to write, and save the fields named in :data:`TARGET_FIELDS` in the same
UPDATE as the change itself: a status, a priority or a reply never commits without its targets.
The targets are stored, not recomputed when a page is shown, so the dashboard filters and
sorts on an indexed column (``Ticket.due_at``).

The rules, each stated where it is applied:

- Opening starts both clocks from ``created_at``: first response and resolution.
- Pending (waiting on the customer) pauses the resolution clock: the time left is stored and
  the deadline cleared; back to Open it resumes from the time left, to the second.
- Reopening a resolved ticket starts a fresh resolution target from the moment it reopens.
- A priority change re-bases the targets not yet met on the new priority.
- The first public reply by a staff member meets the first response, once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce

from sla.models import DEFAULT_HOURS, ServiceLevel
from tickets.models import Status

if TYPE_CHECKING:
    from datetime import datetime

    from accounts.models import User
    from tickets.models import Ticket

#: The ticket columns these functions may change; callers add them to their ``update_fields``.
TARGET_FIELDS: Final = (
    "first_response_due_at",
    "first_responded_at",
    "resolution_due_at",
    "resolution_time_left",
    "due_at",
)


def levels() -> dict[str, ServiceLevel]:
    """Every priority's service level (one small query), read afresh on each change so an
    admin's edit applies to the next ticket at once.

    A priority without a row (the table emptied by hand or by a test's flush) falls back to the
    documented default rather than leaving a ticket without targets.
    """
    stored = {level.priority: level for level in ServiceLevel.objects.all()}
    return {
        priority: stored.get(priority)
        or ServiceLevel(priority=priority, first_response_hours=first, resolution_hours=resolution)
        for priority, (first, resolution) in DEFAULT_HOURS.items()
    }


def next_due(ticket: Ticket) -> datetime | None:
    """The target that falls due next: the first response until it is met, then the resolution.

    Nothing is due while the ticket waits on the customer (Pending) or once it is resolved; the
    dashboard's "overdue" and "due soonest" read exactly this value from ``Ticket.due_at``.
    """
    if ticket.status != Status.OPEN:
        return None
    if ticket.first_responded_at is None and ticket.first_response_due_at is not None:
        return ticket.first_response_due_at
    return ticket.resolution_due_at


def start_clocks(ticket: Ticket, *, opened_at: datetime) -> None:
    """Set a new ticket's targets from its opening time (calendar hours of its priority).

    Called on the unsaved ticket, so the targets go into the same INSERT as the ticket.
    """
    level = levels()[ticket.priority]
    ticket.first_response_due_at = opened_at + level.first_response_time
    ticket.resolution_due_at = opened_at + level.resolution_time
    ticket.due_at = next_due(ticket)


def change_status(ticket: Ticket, *, old_status: str, now: datetime) -> None:
    """Move the clocks for ``ticket``'s new status (already set on it), which was ``old_status``.

    Leaving Pending first puts the paused time left back on the clock from ``now``, so
    Pending → Resolved keeps a deadline that reports compare with ``resolved_at``. Reopening
    a resolved ticket starts a fresh resolution target from ``now``: the customer's problem is
    back, and measuring from the original opening would make it overdue the moment it reopens.
    The first-response target is never moved by a status: it is met or it is not.
    """
    if old_status == Status.PENDING and ticket.resolution_time_left is not None:
        ticket.resolution_due_at = now + ticket.resolution_time_left
        ticket.resolution_time_left = None
    if old_status == Status.RESOLVED and ticket.status == Status.OPEN:
        ticket.resolution_due_at = now + levels()[ticket.priority].resolution_time
    if ticket.status == Status.PENDING and ticket.resolution_due_at is not None:
        # Negative when already overdue: resuming then leaves it exactly as overdue as it was.
        ticket.resolution_time_left = ticket.resolution_due_at - now
        ticket.resolution_due_at = None
    ticket.due_at = next_due(ticket)


def change_priority(ticket: Ticket, *, old_priority: str) -> None:
    """Re-base the targets not yet met on ``ticket``'s new priority (already set on it).

    The first response counts from the opening, so its deadline becomes opening + the new
    priority's hours. The resolution clock keeps the time already spent on it (and any pause):
    its deadline, or the time left while Pending, moves by the difference between the two
    priorities' resolution hours, which is the opening (or reopening) plus paused time plus the
    new hours. A normal ticket 70 hours old that becomes urgent is overdue at once: the
    customer has waited that long. Met targets, and a resolved ticket's resolution, stay put.
    """
    table = levels()
    old, new = table[old_priority], table[ticket.priority]
    if ticket.first_responded_at is None and ticket.first_response_due_at is not None:
        ticket.first_response_due_at = ticket.created_at + new.first_response_time
    shift = new.resolution_time - old.resolution_time
    if ticket.status != Status.RESOLVED:
        if ticket.resolution_due_at is not None:
            ticket.resolution_due_at += shift
        if ticket.resolution_time_left is not None:
            ticket.resolution_time_left += shift
    ticket.due_at = next_due(ticket)


def meets_first_response(*, author: User, internal: bool) -> bool:
    """Only a public reply by staff answers the customer: notes and the customer's own
    messages never do."""
    return author.is_staff and not internal


def first_response_update(*, now: datetime) -> dict[str, Any]:
    """``UPDATE`` assignments that record a staff reply at ``now`` as the first response.

    Evaluated by the database in the same statement that marks the ticket updated: a ticket
    already answered keeps its first ``first_responded_at`` (two replies racing cannot both be
    first), and an open ticket's next due time becomes its resolution deadline.
    """
    unanswered = Q(first_responded_at__isnull=True)
    return {
        "first_responded_at": Coalesce(F("first_responded_at"), Value(now)),
        "due_at": Case(
            When(unanswered & Q(status=Status.OPEN), then=F("resolution_due_at")),
            default=F("due_at"),
        ),
    }


def record_first_response(ticket: Ticket, *, now: datetime) -> None:
    """Mirror :func:`first_response_update` on the in-memory ``ticket`` after the UPDATE."""
    if ticket.first_responded_at is None:
        ticket.first_responded_at = now
        ticket.due_at = next_due(ticket)
