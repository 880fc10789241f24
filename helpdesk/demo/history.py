"""Eight weeks of past tickets, so the reports page (``/reports/``) has something to show.

The services stamp every change with the present moment, so last month cannot be played
through them; these rows are written directly instead, in the shape the services give a
ticket: service-level deadlines from the ``sla`` table, the staff reply that met (or missed)
the first response, the assignment and the resolution in the history, and the customer's
rating. They belong to carol, a customer of their own, and fall in the report's default
period (the last eight full weeks), whatever day the demo is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from reports.periods import default_period
from satisfaction.models import Rating, Score
from sla.services import levels, next_due
from tickets.models import Comment, Priority, Status, Ticket, TicketChange, TrackedField

if TYPE_CHECKING:
    from accounts.models import User

CUSTOMER = "carol"
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class PastTicket:
    title: str
    priority: str
    agent: str
    week: int  # 0: the oldest of the last eight full weeks
    weekday: int  # 0: Monday
    hour: int
    answered_after: timedelta
    resolved_after: timedelta | None  # None: still open
    rating: str | None = None


#: (title, priority, agent, week, weekday, hour, answered after, resolved after, rating)
PAST_TICKETS = (
    PastTicket("Invoice address cannot be changed", Priority.NORMAL, "agent",
               0, 1, 10, 3 * HOUR, DAY + 2 * HOUR, Score.GOOD),
    PastTicket("Two-factor codes arrive late", Priority.HIGH, "admin",
               0, 3, 14, 2 * HOUR, 20 * HOUR, Score.GOOD),
    PastTicket("Contact import stops at 1,000 rows", Priority.NORMAL, "agent",
               1, 0, 9, 30 * HOUR, 3 * DAY, Score.BAD),
    PastTicket("Webhook retries hit our rate limit", Priority.URGENT, "admin",
               2, 2, 11, 40 * MINUTE, 3 * HOUR, Score.GOOD),
    PastTicket("Monthly report e-mail is empty", Priority.LOW, "agent",
               2, 4, 16, 20 * HOUR, 4 * DAY),
    PastTicket("Cannot remove a former colleague", Priority.NORMAL, "agent",
               3, 1, 9, 5 * HOUR, 2 * DAY, Score.GOOD),
    PastTicket("API token shown as expired", Priority.HIGH, "admin",
               4, 0, 13, 6 * HOUR, DAY + 8 * HOUR, Score.BAD),
    PastTicket("Search ignores accented letters", Priority.LOW, "agent",
               4, 3, 10, DAY, 6 * DAY),
    PastTicket("Calendar sync duplicates events", Priority.NORMAL, "agent",
               5, 2, 15, 2 * HOUR, DAY, Score.GOOD),
    PastTicket("Export button greyed out", Priority.URGENT, "admin",
               6, 1, 8, 25 * MINUTE, 2 * HOUR + 30 * MINUTE, Score.GOOD),
    PastTicket("Wrong time zone in notifications", Priority.NORMAL, "agent",
               7, 0, 10, 4 * HOUR, 2 * DAY, Score.GOOD),
    PastTicket("Logo upload fails for SVG files", Priority.HIGH, "agent",
               7, 3, 9, 3 * HOUR, None),
)  # fmt: skip


def seed_report_history(people: dict[str, User], *, today: date | None = None) -> list[Ticket]:
    """Create the past tickets unless carol already has them; returns those created."""
    customer = people[CUSTOMER]
    if Ticket.objects.filter(creator=customer, title=PAST_TICKETS[0].title).exists():
        return []
    period = default_period(today or timezone.localdate())
    targets = levels()
    zone = timezone.get_current_timezone()
    created_tickets = []
    for past in PAST_TICKETS:
        day = period.start + timedelta(weeks=past.week, days=past.weekday)
        created = datetime.combine(day, time(past.hour), tzinfo=zone)
        agent = people[past.agent]
        answered = created + past.answered_after
        resolved = created + past.resolved_after if past.resolved_after is not None else None
        ticket = Ticket(
            title=past.title,
            description=f"{past.title}. It started this week; could you have a look?",
            priority=past.priority,
            creator=customer,
            assignee=agent,
            status=Status.RESOLVED if resolved is not None else Status.OPEN,
            created_at=created,
            first_response_due_at=created + targets[past.priority].first_response_time,
            first_responded_at=answered,
            resolution_due_at=created + targets[past.priority].resolution_time,
            resolved_at=resolved,
        )
        ticket.due_at = next_due(ticket)
        ticket.save()
        TicketChange.objects.create(
            ticket=ticket,
            actor=agent,
            field=TrackedField.ASSIGNEE,
            old_value="",
            new_value=agent.get_username(),
            created_at=created + 10 * MINUTE,
        )
        Comment.objects.create(
            ticket=ticket,
            author=agent,
            body="Thanks for the report, we can reproduce it and are working on a fix.",
            created_at=answered,
        )
        if resolved is not None:
            TicketChange.objects.create(
                ticket=ticket,
                actor=agent,
                field=TrackedField.STATUS,
                old_value=Status.OPEN,
                new_value=Status.RESOLVED,
                created_at=resolved,
            )
        if past.rating is not None and resolved is not None:
            Rating.objects.create(
                ticket=ticket, score=past.rating, created_at=resolved + 2 * HOUR, rated_by=customer
            )
        created_tickets.append(ticket)
    return created_tickets
