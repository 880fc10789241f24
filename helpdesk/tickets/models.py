"""Tickets, their conversation and their append-only history.

Reads live here (QuerySet methods, properties); every write that changes a ticket's status,
priority or assignee goes through ``tickets.services`` so its history row cannot be forgotten.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Case, Max, Q, Value, When
from django.db.models.functions import Now
from django.urls import reverse

from accounts.validators import validate_single_line

if TYPE_CHECKING:
    from datetime import datetime

    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


class Status(models.TextChoices):
    OPEN = "open", "Open"
    PENDING = "pending", "Pending"
    RESOLVED = "resolved", "Resolved"


class TicketChannel(models.TextChoices):
    """How a ticket was opened: on the site, or by an e-mail to the support address."""

    WEB = "web", "Web"
    EMAIL = "email", "E-mail"


class Priority(models.TextChoices):
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


# The one place that says which status may follow which. Forms, the service and the admin all
# ask it; "pending" means waiting on the customer, "resolved" can only be reopened.
STATUS_TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.OPEN: (Status.PENDING, Status.RESOLVED),
    Status.PENDING: (Status.OPEN, Status.RESOLVED),
    Status.RESOLVED: (Status.OPEN,),
}


# What a button that moves a ticket to a status says; leaving "resolved" is a reopening.
STATUS_ACTION_LABELS: dict[str, str] = {
    Status.OPEN: "Mark open",
    Status.PENDING: "Mark pending",
    Status.RESOLVED: "Resolve",
}


def can_change_status(old: str, new: str) -> bool:
    """Whether a ticket in status ``old`` may move to ``new`` (staying put is not a move)."""
    return new in STATUS_TRANSITIONS.get(old, ())


def status_actions(status: str) -> list[tuple[str, str]]:
    """The moves a ticket in ``status`` allows, as (status value, button label) pairs."""
    return [
        (move, "Reopen" if status == Status.RESOLVED else STATUS_ACTION_LABELS[move])
        for move in STATUS_TRANSITIONS[status]
    ]


def refused_status_change_message(old: str, new: str) -> str:
    return f"A {Status(old).label.lower()} ticket cannot become {Status(new).label.lower()}."


# Priorities are stored as words for readable data; this rank lets the database sort them
# from an index (urgent first) instead of alphabetically.
PRIORITY_RANK = Case(
    When(priority=Priority.LOW, then=Value(0)),
    When(priority=Priority.HIGH, then=Value(2)),
    When(priority=Priority.URGENT, then=Value(3)),
    default=Value(1),
    output_field=models.PositiveSmallIntegerField(),
)


#: The columns the dashboard filters on, held by the index of each of its sort orders.
DASHBOARD_FILTERED = ("status", "priority", "assignee")


class TicketQuerySet(models.QuerySet["Ticket"]):
    def visible_to(self, user: User | AnonymousUser) -> TicketQuerySet:
        """The tickets ``user`` may read: all of them for staff, their own for everyone else.

        Every lookup of a ticket by a logged-in user goes through here, so a ticket that is
        not yours is indistinguishable from one that does not exist.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_staff:
            return self.all()
        return self.filter(creator=user)

    def created_by(self, user: User | int) -> TicketQuerySet:
        """The tickets ``user`` (or the user with that key) opened."""
        return self.filter(creator=user)

    def with_people(self) -> TicketQuerySet:
        """Fetch creator and assignee in the same query, for lists that show both."""
        return self.select_related("creator", "assignee")

    def search(self, text: str) -> TicketQuerySet:
        """Tickets whose title or description contains ``text`` (case-insensitive)."""
        return self.filter(Q(title__icontains=text) | Q(description__icontains=text))

    def linked_by_follow_up(self, ticket: Ticket) -> TicketQuerySet:
        """The ticket ``ticket`` follows up and those that follow it up, in one query; chain
        after :meth:`visible_to` so a link is shown only to those who may open it."""
        links = Q(follows_up=ticket)
        if ticket.follows_up_id is not None:
            links |= Q(pk=ticket.follows_up_id)
        return self.filter(links).order_by("created_at", "pk")

    def overdue(self, now: datetime) -> TicketQuerySet:
        """Tickets whose next target (``due_at``) passed before ``now``.

        Strictly before: a target due at exactly ``now`` is not breached yet; a second later it
        is. Pending and resolved tickets have no ``due_at``, so they are never overdue. A range
        read of the partial ``ticket_due_idx``.
        """
        return self.filter(due_at__lt=now)

    def due_soonest(self) -> TicketQuerySet:
        """Tickets with a running clock, the next target to fall due first.

        Only tickets with a ``due_at`` (open ones): the partial ``ticket_due_idx`` holds exactly
        these, in this order, so a page of them is read from the index without sorting.
        """
        return self.filter(due_at__isnull=False).order_by("due_at", "pk")

    def last_change(self) -> datetime | None:
        """When a ticket was last created or changed: a version for caches of ticket lists.

        Every write but a delete moves ``updated_at`` (``auto_now``, and ``add_comment`` sets it),
        so a cache keyed on this goes stale by itself. One index lookup, however many tickets.
        """
        last: datetime | None = self.aggregate(last=Max("updated_at"))["last"]
        return last


class Ticket(models.Model):
    # One line: shown in lists and put in e-mail subjects (see accounts.validators).
    title = models.CharField(max_length=200, validators=[validate_single_line])
    description = models.TextField()
    status = models.CharField(
        max_length=16, choices=Status, default=Status.OPEN, db_default=Status.OPEN
    )
    priority = models.CharField(
        max_length=16, choices=Priority, default=Priority.NORMAL, db_default=Priority.NORMAL
    )
    priority_rank = models.GeneratedField(
        expression=PRIORITY_RANK,
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tickets_created",
        help_text="Set by the server from the logged-in user, never from a form.",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tickets_assigned",
        null=True,
        blank=True,
        limit_choices_to={"is_staff": True, "is_active": True},
    )
    channel = models.CharField(
        max_length=8,
        choices=TicketChannel,
        default=TicketChannel.WEB,
        db_default=TicketChannel.WEB,
        editable=False,
        help_text="Set by the code path that opened the ticket (the site or inbound e-mail).",
    )
    created_at = models.DateTimeField(db_default=Now(), editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    resolved_at = models.DateTimeField(null=True, blank=True, editable=False)
    # A customer's reply that came after the reopen window opens a new ticket rather than
    # reviving an old one (``tickets.reopening``); this keeps the trail back to the old one.
    follows_up = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        editable=False,
        help_text="The resolved ticket this one continues: a reply that came after its window.",
    )
    # Service-level targets (``sla``): stored when a change sets them, in the same UPDATE as
    # that change, so lists sort and filter on columns instead of recomputing per page.
    first_response_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    first_responded_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="The first public reply by a staff member; set once.",
    )
    resolution_due_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="The resolution deadline: empty while Pending (the clock is paused), kept "
        "as it was when the ticket was resolved.",
    )
    resolution_time_left = models.DurationField(
        null=True,
        blank=True,
        editable=False,
        help_text="While Pending: the resolution time that was left when the clock paused.",
    )
    due_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="The next target to fall due: the first response until it is met, then the "
        "resolution. Empty while Pending or Resolved.",
    )

    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # One per list filter and sort the pages offer.
            models.Index(fields=["creator", "-created_at"], name="ticket_creator_created_idx"),
            # "My tickets" filtered by status: counted and paged from the index alone.
            models.Index(
                fields=["creator", "status", "-created_at"], name="ticket_creator_status_idx"
            ),
            models.Index(fields=["status", "-created_at"], name="ticket_status_created_idx"),
            # One status, recently updated first: the working queue (47 -> 9 ms at 100,000).
            models.Index(fields=["status", "-updated_at"], name="ticket_status_updated_idx"),
            # One assignee in one status ("mine, open"); with ``due_at`` the overdue count can
            # also be read from it alone.
            models.Index(
                fields=["assignee", "status", "due_at"], name="ticket_assignee_status_due_idx"
            ),
            # The dashboard's cards: "mine" and "unassigned", newest first.
            models.Index(fields=["assignee", "-created_at"], name="ticket_assignee_created_idx"),
            # One assignee (or none), most urgent first: "my queue" (31 -> 8 ms at 100,000).
            models.Index(
                fields=["assignee", "-priority_rank", "-created_at"],
                name="ticket_assignee_rank_idx",
            ),
            # One status, most urgent first: the queue staff work from.
            models.Index(
                fields=["status", "-priority_rank", "-created_at"], name="ticket_status_rank_idx"
            ),
            models.Index(fields=["priority", "-created_at"], name="ticket_priority_created_idx"),
            # The four sort orders with no filter. Each also holds the dashboard's filters, so a
            # filter the planner checks while walking an order is read from the index, never
            # the table: "assigned to me, recently updated" read a third of 100,000 tickets
            # and sorted them (45 ms); it now walks this index and stops at the page.
            models.Index(
                fields=["-priority_rank", "-created_at", *DASHBOARD_FILTERED],
                name="ticket_priority_rank_idx",
            ),
            models.Index(
                fields=["priority_rank", "-created_at", *DASHBOARD_FILTERED],
                name="ticket_low_priority_idx",
            ),
            models.Index(fields=["-created_at", *DASHBOARD_FILTERED], name="ticket_created_idx"),
            models.Index(fields=["-updated_at", *DASHBOARD_FILTERED], name="ticket_updated_idx"),
            # "Due soonest" and "overdue" (``due_at < now``) on the dashboard, and the overdue
            # count: only tickets with a running clock have a due time, so only they are indexed.
            # With the dashboard's filters, as above: pending tickets by due time (none have
            # one) read every open ticket's row, 64 ms at 100,000 tickets; now none (6 ms).
            models.Index(
                fields=["due_at", "id", *DASHBOARD_FILTERED],
                name="ticket_due_idx",
                condition=Q(due_at__isnull=False),
            ),
            # The reports' period filters (``reports.queries``): tickets resolved, or first
            # answered, within the period. Partial: open tickets have neither time yet.
            models.Index(
                fields=["resolved_at"],
                name="ticket_resolved_idx",
                condition=Q(resolved_at__isnull=False),
            ),
            models.Index(
                fields=["first_responded_at"],
                name="ticket_first_response_idx",
                condition=Q(first_responded_at__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values),
                name="ticket_status_valid",
                violation_error_message="Unknown ticket status.",
            ),
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values),
                name="ticket_priority_valid",
                violation_error_message="Unknown ticket priority.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=Status.RESOLVED, resolved_at__isnull=False)
                    | (~Q(status=Status.RESOLVED) & Q(resolved_at__isnull=True))
                ),
                name="ticket_resolved_at_iff_resolved",
                violation_error_message="A ticket has a resolution time exactly when resolved.",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=TicketChannel.values),
                name="ticket_channel_valid",
                violation_error_message="Unknown ticket channel.",
            ),
            models.CheckConstraint(
                condition=~Q(title=""),
                name="ticket_title_not_empty",
                violation_error_message="A ticket needs a title.",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.RESOLVED) | Q(due_at__isnull=True),
                name="ticket_resolved_not_due",
                violation_error_message="A resolved ticket has nothing falling due.",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.PENDING)
                | Q(due_at__isnull=True, resolution_due_at__isnull=True),
                name="ticket_pending_clock_paused",
                violation_error_message="A pending ticket's resolution clock is paused.",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.PENDING) | Q(resolution_time_left__isnull=True),
                name="ticket_time_left_only_pending",
                violation_error_message="Only a pending ticket keeps the resolution time left.",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("tickets:detail", kwargs={"pk": self.pk})

    @property
    def is_resolved(self) -> bool:
        return self.status == Status.RESOLVED

    @property
    def next_statuses(self) -> list[Status]:
        """The statuses this ticket may move to now, in display order."""
        return [Status(status) for status in STATUS_TRANSITIONS[self.status]]

    @property
    def status_actions(self) -> list[tuple[str, str]]:
        """The allowed moves as (status value, button label) pairs, for the action buttons."""
        return status_actions(self.status)

    def can_move_to(self, status: str) -> bool:
        return can_change_status(self.status, status)

    def is_assigned_to(self, user: User) -> bool:
        return self.assignee_id is not None and self.assignee_id == user.pk


class TicketTally(models.Model):
    """How many tickets have one (status, priority, assignee): the dashboard's counts.

    Kept by database triggers (migration ``0011_ticket_tally``) in the same statement as every
    insert, delete, and change of status, priority or assignee, whatever wrote it: a service,
    the admin, ``bulk_create``, a queryset ``update()``, raw SQL. So the status cards and the
    paginator read a few dozen rows instead of counting every ticket on every view, and no code
    path can forget them. ``tickets.counts.rebuild_tally()`` recounts from the tickets (a
    reconciliation, also run by the migration for rows that existed before it).
    """

    status = models.CharField(max_length=16, choices=Status)
    priority = models.CharField(max_length=16, choices=Priority)
    # The assignee's id, 0 for none: a NULL would not conflict in the triggers' upsert.
    assignee_key = models.BigIntegerField()
    tickets = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["status", "priority", "assignee_key"],
                name="tally_one_row_per_group",
                violation_error_message="One tally row per status, priority and assignee.",
            ),
            models.CheckConstraint(
                condition=Q(tickets__gte=0),
                name="tally_not_negative",
                violation_error_message="A tally cannot go below zero.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.status}/{self.priority}/{self.assignee_key or '-'}: {self.tickets}"


class CommentQuerySet(models.QuerySet["Comment"]):
    def visible_to(self, user: User | AnonymousUser) -> CommentQuerySet:
        """Staff read internal notes; everyone else reads public replies only."""
        if user.is_staff:
            return self.all()
        return self.filter(is_internal=False)

    def public(self) -> CommentQuerySet:
        return self.filter(is_internal=False)


class Comment(models.Model):
    """A message in a ticket's conversation: a public reply or, for staff, an internal note."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ticket_comments"
    )
    body = models.TextField()
    is_internal = models.BooleanField(
        "internal note",
        default=False,
        db_default=False,
        help_text="Internal notes are shown to staff only and never e-mailed.",
    )
    created_at = models.DateTimeField(db_default=Now(), editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="comment_ticket_created_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(body=""),
                name="comment_body_not_empty",
                violation_error_message="A message cannot be empty.",
            ),
        ]

    def __str__(self) -> str:
        kind = "Internal note" if self.is_internal else "Reply"
        return f"{kind} by {self.author} on #{self.ticket_id}"


class TrackedField(models.TextChoices):
    STATUS = "status", "Status"
    PRIORITY = "priority", "Priority"
    ASSIGNEE = "assignee", "Assignee"


class AppendOnlyError(TypeError):
    """Raised on any attempt to edit or delete a history row."""


class TicketChangeQuerySet(models.QuerySet["TicketChange"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Ticket history is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Ticket history is append-only.")


class TicketChange(models.Model):
    """One recorded change of one field: who, when, old value and new value.

    Values are stored as text (a status or priority value, an assignee's username) so a row
    still reads correctly after the people or choices it mentions change.
    """

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="history")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ticket_changes"
    )
    field = models.CharField(max_length=16, choices=TrackedField)
    old_value = models.CharField(max_length=150, blank=True)
    new_value = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(db_default=Now(), editable=False)

    objects = TicketChangeQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="change_ticket_created_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(field__in=TrackedField.values),
                name="change_field_valid",
                violation_error_message="Unknown tracked field.",
            ),
            models.CheckConstraint(
                condition=~Q(old_value=models.F("new_value")),
                name="change_is_a_change",
                violation_error_message="A change needs different old and new values.",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.field}: {self.old_display} → {self.new_display}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Ticket history is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Ticket history is append-only.")

    @property
    def old_display(self) -> str:
        return self._display(self.old_value)

    @property
    def new_display(self) -> str:
        return self._display(self.new_value)

    def _display(self, value: str) -> str:
        if self.field == TrackedField.STATUS:
            return Status(value).label
        if self.field == TrackedField.PRIORITY:
            return Priority(value).label
        return value or "Unassigned"
