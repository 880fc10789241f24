"""The rows of the ticket tables, built in Python: one f-string a row, every text escaped.

Every ticket list shows 20 or 25 rows. As template markup each row's variables, filters and
``{% url %}`` tags cost about 0.4 ms (10 of the dashboard's 14 ms); with ``format_html`` per
cell still 0.15 ms (Django's lazy-string checks on each of 28 escapes). Here a row is one
f-string in which every value that is text goes through ``escape`` (the standard library's
``html.escape``, the same escaping Django's templates apply: ``& < > " '``); the rest are
integers and times the code formats. The markup is the one the templates had.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString, mark_safe

from tickets.counts import COUNT_CAP
from tickets.models import Priority, Status

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from datetime import datetime

    from accounts.models import User
    from tickets.dashboard_tickets import DashboardRow
    from tickets.own_tickets import OwnTicketRow

register = template.Library()


class _TicketUrls:
    """One of a ticket's URLs for every row of a table, reversed once per table.

    ``reverse()`` walks the URLconf on every call (about 20 µs: three a row were a tenth of the
    dashboard's time); only the ticket's id differs from row to row, so the URL is reversed once
    with a marker id and each row's id is put in its place. ``tests/tickets/test_rows.py``
    checks the result against ``reverse()``.
    """

    _MARKER = 987654321987

    def __init__(self, name: str) -> None:
        url = reverse(name, kwargs={"pk": self._MARKER})
        self._before, _, self._after = url.partition(str(self._MARKER))

    def __call__(self, pk: int) -> str:
        return escape(f"{self._before}{pk}{self._after}")


class _TableText:
    """What every row of one table prints alike, looked up once per table: the time zone, the
    month names and the badges' labels in the active language.

    Each of those is a lookup through ``asgiref``'s context-local state (the current time zone
    and language), 3 per row: 60 of them for a page of 20 tickets, a tenth of a customer's page.
    Per table, the request's time zone and language are still the ones used.
    """

    def __init__(self) -> None:
        self.zone = timezone.get_current_timezone()
        self.months = {number: escape(str(name).title()) for number, name in MONTHS_3.items()}
        self.statuses = {value: escape(str(label)) for value, label in Status.choices}
        self.priorities = {value: escape(str(label)) for value, label in Priority.choices}

    def time(self, moment: datetime, *, year: bool = False) -> str:
        """A ``<time>`` shown as "5 Dec, 14:30" (with ``year``: "5 Dec 2026, 14:30") in the
        site's time zone: the templates' ``date:"j M, H:i"``, without parsing the format on
        every call."""
        local = moment.astimezone(self.zone)
        month = self.months[local.month]
        shown = f"{local.day} {month} {local.year}" if year else f"{local.day} {month}"
        return f'<time datetime="{local.isoformat()}">{shown}, {local:%H:%M}</time>'

    def badges(self, ticket: DashboardRow | OwnTicketRow) -> tuple[str, str]:
        """The status and priority badges (``ticket_badges`` has the same as template
        filters)."""
        status, priority = escape(ticket.status), escape(ticket.priority)
        return (
            f'<span class="badge badge-status badge-{status}">'
            f"{self.statuses[ticket.status]}</span>",
            f'<span class="badge badge-priority badge-{priority}">'
            f"{self.priorities[ticket.priority]}</span>",
        )


def _next_due(ticket: DashboardRow, now: datetime, text: _TableText) -> str:
    if ticket.due_at is not None:
        overdue = ' <span class="badge badge-overdue">Overdue</span>' if ticket.due_at < now else ""
        return text.time(ticket.due_at) + overdue
    if ticket.status == Status.PENDING:
        return '<span class="muted">Paused</span>'
    return '<span class="muted">—</span>'


def _actions(ticket: DashboardRow, viewer: User, urls: dict[str, _TicketUrls]) -> str:
    status_url = urls["status"](ticket.pk)
    buttons = "".join(
        f'<button type="submit" form="row-actions" formaction="{status_url}" name="status" '
        f'value="{escape(value)}" class="button small status-action status-action-{escape(value)}"'
        f">{escape(label)}</button>"
        for value, label in ticket.status_actions
    )
    if not ticket.is_assigned_to(viewer):
        buttons += (
            f'<button type="submit" form="row-actions" formaction="{urls["assign"](ticket.pk)}" '
            f'name="assignee" value="{int(viewer.pk)}" class="button small ghost">Take</button>'
        )
    return f'<div role="group" aria-label="Actions on ticket {int(ticket.pk)}">{buttons}</div>'


def _dashboard_row(
    ticket: DashboardRow,
    viewer: User,
    now: datetime,
    urls: dict[str, _TicketUrls],
    creator_names: Mapping[int, str],
    text: _TableText,
) -> str:
    if ticket.is_assigned_to(viewer):
        assignee = "<strong>me</strong>"
    else:
        assignee = escape(ticket.assignee_name) if ticket.assignee_name else "—"
    status, priority = text.badges(ticket)
    link = urls["detail"](ticket.pk)
    return (
        f'<tr><td data-label="#">{int(ticket.pk)}</td>'
        f'<td data-label="Title"><a href="{link}">{escape(ticket.title)}</a></td>'
        f'<td data-label="Customer">{escape(creator_names[ticket.creator_id])}</td>'
        f'<td data-label="Status">{status}</td>'
        f'<td data-label="Priority">{priority}</td>'
        f'<td data-label="Assignee">{assignee}</td>'
        f'<td data-label="Updated">{text.time(ticket.updated_at)}</td>'
        f'<td data-label="Next due">{_next_due(ticket, now, text)}</td>'
        f'<td data-label="Actions" class="row-actions">{_actions(ticket, viewer, urls)}</td></tr>'
    )


@register.simple_tag
def dashboard_rows(
    tickets: Iterable[DashboardRow], viewer: User, now: datetime, creator_names: Mapping[int, str]
) -> SafeString:
    """The dashboard table's rows; its buttons submit the page's one POST form.

    ``creator_names`` is ``tickets.dashboard_tickets.creator_names`` of the same rows.
    """
    urls = {name: _TicketUrls(f"tickets:{name}") for name in ("detail", "status", "assign")}
    text = _TableText()
    rows = "\n".join(
        _dashboard_row(ticket, viewer, now, urls, creator_names, text) for ticket in tickets
    )
    return mark_safe(rows)  # noqa: S308 - every text in the rows is escaped above


def _own_ticket_row(ticket: OwnTicketRow, detail_url: _TicketUrls, text: _TableText) -> str:
    status, priority = text.badges(ticket)
    assignee = escape(ticket.assignee_name) if ticket.assignee_name else "—"
    return (
        f'<tr><td data-label="#">{int(ticket.pk)}</td>'
        f'<td data-label="Title"><a href="{detail_url(ticket.pk)}">{escape(ticket.title)}</a></td>'
        f'<td data-label="Status">{status}</td>'
        f'<td data-label="Priority">{priority}</td>'
        f'<td data-label="Assigned to">{assignee}</td>'
        f'<td data-label="Opened">{text.time(ticket.created_at, year=True)}</td></tr>'
    )


@register.simple_tag
def own_ticket_rows(tickets: Iterable[OwnTicketRow]) -> SafeString:
    """The rows of a customer's "My tickets" table (``tickets.own_tickets``)."""
    detail_url = _TicketUrls("tickets:detail")
    text = _TableText()
    rows = "\n".join(_own_ticket_row(ticket, detail_url, text) for ticket in tickets)
    return mark_safe(rows)  # noqa: S308 - every text in the rows is escaped above


@register.filter
def capped(count: int) -> str:
    """A count from ``tickets.counts.capped_count``: exact up to 1,000, "1,000+" past it."""
    return f"{COUNT_CAP:,}+" if count > COUNT_CAP else f"{count:,}"
