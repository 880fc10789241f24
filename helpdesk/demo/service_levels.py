"""Tickets that show the service levels at work: overdue, due soon, met and paused targets, a
ticket its customer reopened by replying and one a late reply followed up.

The services stamp every change with the present moment, and a target falls overdue only with
time, so the tickets whose clocks have been running for hours are written directly, in the
shape the services give a ticket (their deadlines from the ``sla`` table through
``sla.services``, the reply that met the first response, the history). The reopening and the
follow-up are played through ``tickets.reopening``, as a customer's reply would be.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from sla import services as sla
from tickets import reopening, services
from tickets.models import Comment, Priority, Status, Ticket, TicketChange, TrackedField

if TYPE_CHECKING:
    from datetime import datetime

    from accounts.models import User

HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class RunningTicket:
    """An open (or pending) ticket opened ``age`` ago; ``answered_after`` None: no reply yet."""

    creator: str
    agent: str
    title: str
    description: str
    priority: str
    age: timedelta
    answered_after: timedelta | None = None
    reply: str = ""
    pending_after: timedelta | None = None


RUNNING_TICKETS = (
    RunningTicket(
        "bob",
        "agent",
        "Checkout page shows an error",
        "Customers get an error page when they pay. Nobody can order since this morning.",
        Priority.URGENT,
        age=3 * HOUR,  # first response (1 h) overdue by 2 hours
    ),
    RunningTicket(
        "alice",
        "admin",
        "Shared calendar stopped syncing",
        "Our team calendar no longer shows new events on our phones.",
        Priority.HIGH,
        age=30 * HOUR,  # answered in time, resolution (24 h) overdue by 6 hours
        answered_after=2 * HOUR,
        reply="We see the sync errors in the logs and are working on it.",
    ),
    RunningTicket(
        "bob",
        "agent",
        "Scanned documents arrive without attachment",
        "The office scanner sends the e-mail, but the PDF is missing.",
        Priority.NORMAL,
        age=22 * HOUR,  # first response (24 h) due in 2 hours
    ),
    RunningTicket(
        "alice",
        "agent",
        "New colleague cannot see the team folder",
        "Our new hire started today and the team folder is empty for her.",
        Priority.HIGH,
        age=3 * HOUR,  # first response met after 40 minutes; resolution due in 21 hours
        answered_after=40 * MINUTE,
        reply="Access is granted per team; we are adding her now.",
    ),
    RunningTicket(
        "alice",
        "admin",
        "Report totals differ from the export",
        "The monthly report says 1,204 orders, the CSV export has 1,198 rows.",
        Priority.NORMAL,
        age=26 * HOUR,  # answered, then waiting on alice: 70 hours left on a paused clock
        answered_after=HOUR,
        reply="Could you send us the date range you exported?",
        pending_after=2 * HOUR,
    ),
)

#: Reopened by alice's reply within the window (through ``tickets.reopening``).
REOPENED_TITLE = "Password reset e-mail never arrives"
#: Resolved five weeks ago; bob's reply now opens a follow-up ticket instead.
FOLLOWED_UP_TITLE = "Label printer prints blank labels"


def seed_running_ticket(demo: RunningTicket, people: dict[str, User], *, now: datetime) -> Ticket:
    creator, agent = people[demo.creator], people[demo.agent]
    existing = Ticket.objects.filter(creator=creator, title=demo.title).first()
    if existing is not None:
        return existing
    opened = now - demo.age
    ticket = Ticket(
        creator=creator,
        title=demo.title,
        description=demo.description,
        priority=demo.priority,
        assignee=agent,
        created_at=opened,
    )
    sla.start_clocks(ticket, opened_at=opened)
    if demo.answered_after is not None:
        ticket.first_responded_at = opened + demo.answered_after
    if demo.pending_after is not None:
        ticket.status = Status.PENDING
        sla.change_status(ticket, old_status=Status.OPEN, now=opened + demo.pending_after)
    ticket.due_at = sla.next_due(ticket)
    ticket.save()
    _history(ticket, agent, TrackedField.ASSIGNEE, "", agent.get_username(), opened + 5 * MINUTE)
    if ticket.first_responded_at is not None:
        Comment.objects.create(
            ticket=ticket, author=agent, body=demo.reply, created_at=ticket.first_responded_at
        )
    if demo.pending_after is not None:
        paused_at = opened + demo.pending_after
        _history(ticket, agent, TrackedField.STATUS, Status.OPEN, Status.PENDING, paused_at)
    return ticket


def _history(
    ticket: Ticket, actor: User, field: str, old: str, new: str, at: datetime
) -> TicketChange:
    return TicketChange.objects.create(
        ticket=ticket, actor=actor, field=field, old_value=old, new_value=new, created_at=at
    )


def seed_reopened_ticket(people: dict[str, User]) -> Ticket:
    """Alice's ticket: answered, resolved, then reopened by her reply, all through services."""
    alice, agent = people["alice"], people["agent"]
    existing = Ticket.objects.filter(creator=alice, title=REOPENED_TITLE).first()
    if existing is not None:
        return existing
    ticket = services.open_ticket(
        creator=alice,
        title=REOPENED_TITLE,
        description="I asked for a new password three times; no e-mail came.",
        priority=Priority.NORMAL,
        notify=False,
    )
    services.add_comment(
        ticket=ticket, author=agent, body="Our mail provider had a delay; try again?", notify=False
    )
    services.update_ticket(ticket=ticket, actor=agent, status=Status.RESOLVED, notify=False)
    reopening.reply(
        ticket=ticket, author=alice, body="Tried again: still nothing arrives.", notify=False
    )
    return ticket


def seed_follow_up(people: dict[str, User], *, now: datetime) -> Ticket:
    """Bob's ticket resolved five weeks ago (past the reopen window) and his reply today,
    which ``tickets.reopening`` turns into a new ticket linking back to it."""
    bob, agent = people["bob"], people["agent"]
    old = Ticket.objects.filter(creator=bob, title=FOLLOWED_UP_TITLE).first()
    if old is None:
        opened = now - 40 * DAY
        old = Ticket(
            creator=bob,
            title=FOLLOWED_UP_TITLE,
            description="Every label comes out blank since the driver update.",
            priority=Priority.LOW,
            assignee=agent,
            created_at=opened,
        )
        sla.start_clocks(old, opened_at=opened)
        old.first_responded_at = opened + 5 * HOUR
        old.status, old.resolved_at = Status.RESOLVED, now - 35 * DAY
        old.due_at = sla.next_due(old)
        old.save()
        Comment.objects.create(
            ticket=old,
            author=agent,
            body="Rolling the driver back fixes it; we will pin that version.",
            created_at=old.first_responded_at,
        )
        _history(old, agent, TrackedField.STATUS, Status.OPEN, Status.RESOLVED, old.resolved_at)
    follow_up = old.follow_ups.first()
    if follow_up is not None:
        return follow_up
    landed = reopening.reply(
        ticket=old,
        author=bob,
        body="The blank labels are back since this week's update.",
        notify=False,
        now=now,
    )
    return landed.ticket


def seed_service_level_tickets(people: dict[str, User]) -> list[Ticket]:
    """All of the above; safe to run again (each is looked up by its creator and title)."""
    now = timezone.now()
    return [
        *(seed_running_ticket(demo, people, now=now) for demo in RUNNING_TICKETS),
        seed_reopened_ticket(people),
        seed_follow_up(people, now=now),
    ]
