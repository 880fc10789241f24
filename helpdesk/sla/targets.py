"""A ticket's service-level targets as staff read them on the ticket page.

Read from the columns ``sla.services`` stores (no query, nothing recomputed but the wording
against the clock). Customers are shown none of this: the targets are the team's internal
promises, and a customer who sees "overdue" learns nothing they can act on.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.timesince import timesince

from tickets.models import Status

if TYPE_CHECKING:
    from datetime import datetime, timedelta

    from tickets.models import Ticket


class TargetState(enum.StrEnum):
    MET = "met"
    NOT_MET = "not-met"
    PAUSED = "paused"
    OVERDUE = "overdue"
    DUE = "due"
    NONE = "none"


@dataclass(frozen=True)
class Target:
    """One target of one ticket at ``now``: when it falls due and how it stands."""

    name: str
    due_at: datetime | None
    met_at: datetime | None
    now: datetime
    paused: bool = False
    time_left: timedelta | None = None
    closed: bool = False

    @property
    def state(self) -> TargetState:
        """Met beats everything; then a ticket closed without meeting it, a paused clock, and
        only then the clock: due at exactly ``now`` is not overdue yet (as ``overdue()``)."""
        if self.met_at is not None:
            return TargetState.MET
        if self.closed:
            return TargetState.NOT_MET
        if self.paused:
            return TargetState.PAUSED
        if self.due_at is None:
            return TargetState.NONE
        return TargetState.OVERDUE if self.due_at < self.now else TargetState.DUE

    @property
    def late_by(self) -> str:
        """How long after its due time the target was met ("" when met in time)."""
        if self.met_at is None or self.due_at is None or self.met_at <= self.due_at:
            return ""
        return timesince(self.due_at, self.met_at)

    @property
    def overdue_by(self) -> str:
        return timesince(self.due_at, self.now) if self.due_at is not None else ""

    @property
    def left_when_paused(self) -> str:
        """The paused clock's time left, or "" when it had already run out."""
        if self.time_left is None or self.time_left.total_seconds() <= 0:
            return ""
        return timesince(self.now - self.time_left, self.now)


def targets_of(ticket: Ticket, *, now: datetime) -> list[Target]:
    """The first-response and resolution targets of ``ticket`` as they stand at ``now``.

    While Pending both show as paused: nothing falls due while the team waits on the customer
    (the resolution clock stops; the first-response due time stays as set at opening).
    """
    pending = ticket.status == Status.PENDING
    resolved = ticket.status == Status.RESOLVED
    return [
        Target(
            name="First response",
            due_at=ticket.first_response_due_at,
            met_at=ticket.first_responded_at,
            now=now,
            paused=pending,
            closed=resolved,
        ),
        Target(
            name="Resolution",
            due_at=ticket.resolution_due_at,
            met_at=ticket.resolved_at,
            now=now,
            paused=pending,
            time_left=ticket.resolution_time_left,
        ),
    ]
