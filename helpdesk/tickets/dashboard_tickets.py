"""The dashboard's tickets, a page at a time, as plain rows sent through composed statements.

Staff reload the dashboard all day with filters and sorts nobody asked for before, so most of
its views miss the board's cache (issue 19). Its list queries (the page's rows, and a capped
count where the tally cannot count) come in a few dozen shapes: which filters are set, the
sort, whether the page is read from the end, the page's bounds. Each shape is composed by the
ORM once per process (``config.composed``) from the QuerySet :meth:`DashboardQuery.tickets`
builds with markers for the values, and each request binds its own. A row is a
:class:`DashboardRow` read from the ORM's columns through its converters, not a ticket with its
assignee. A search text cannot be composed (``icontains`` rewrites it into ``%text%``): those
shapes are built by the ORM on every request, into the same rows.

:class:`DashboardQuery` is the one place that says what each filter and sort means; the form
only validates the query string into one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from django.contrib.auth import get_user_model
from django.db import connections, router

from config import composed
from tickets.counts import NO_ASSIGNEE, capped, capped_count
from tickets.models import Ticket, status_actions

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from django.db.models import QuerySet

    from accounts.models import User
    from tickets.models import TicketQuerySet

# The only orderings the dashboard accepts; a key not listed here is a form error, so no
# user input ever reaches order_by(). Each ends on the primary key for stable pagination.
DASHBOARD_SORTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "-created": ("Newest first", ("-created_at", "-pk")),
    "created": ("Oldest first", ("created_at", "pk")),
    "-updated": ("Recently updated", ("-updated_at", "-pk")),
    "-priority": ("Highest priority", ("-priority_rank", "-created_at", "-pk")),
    "priority": ("Lowest priority", ("priority_rank", "-created_at", "-pk")),
    # Only tickets with a running clock: see TicketQuerySet.due_soonest.
    "due": ("Due soonest", ("due_at", "pk")),
}
DEFAULT_SORT = "-created"
DUE_SOONEST = "due"

#: Values no request can send, standing for each value while a shape is composed: no user has
#: a negative key, no status or priority holds a NUL byte, no request is made in 1970.
_MARKERS: dict[str, Any] = {
    "status": "\x00status\x00",
    "priority": "\x00priority\x00",
    "assignee": -7_000_000_000_002,
    "now": datetime(1970, 1, 2, 3, 4, 5, 678902, tzinfo=UTC),
}

#: The first of the markers for the creators' keys in :func:`creator_names`; the others count down.
_FIRST_CREATOR_MARKER = -7_000_000_100_000


@dataclass(frozen=True)
class DashboardQuery:
    """What the dashboard lists: valid filters and a sort (``forms.DashboardFilterForm``).

    ``assignee`` is a user's key ("mine" is the viewer's); ``overdue_at`` lists the tickets
    overdue at that time.
    """

    text: str = ""
    status: str | None = None
    priority: str | None = None
    assignee: int | None = None
    unassigned: bool = False
    overdue_at: datetime | None = None
    sort: str = DEFAULT_SORT

    def values(self) -> dict[str, Any]:
        """The values a statement binds, by name; the shape is which names are set."""
        values: dict[str, Any] = {
            "status": self.status,
            "priority": self.priority,
            "assignee": self.assignee,
            "now": self.overdue_at,
        }
        return {name: value for name, value in values.items() if value is not None}

    def tickets(self, values: Mapping[str, Any] | None = None) -> TicketQuerySet:
        """The matching tickets in the sort's order, with ``values`` (markers, while a shape is
        composed) in place of this query's own."""
        values = self.values() if values is None else values
        tickets = Ticket.objects.all()
        if self.text:
            tickets = tickets.search(self.text)
        if "status" in values:
            tickets = tickets.filter(status=values["status"])
        if "priority" in values:
            tickets = tickets.filter(priority=values["priority"])
        if "assignee" in values:
            tickets = tickets.filter(assignee_id=values["assignee"])
        elif self.unassigned:
            tickets = tickets.filter(assignee__isnull=True)
        if "now" in values:
            tickets = tickets.overdue(values["now"])
        if self.sort == DUE_SOONEST:
            return tickets.due_soonest()
        _, ordering = DASHBOARD_SORTS[self.sort]
        return tickets.order_by(*ordering)

    def tallied_filters(self) -> dict[str, Any] | None:
        """The filters as ``counts.Tally.count`` arguments, or None if the tally cannot count
        them: a search text, "overdue", or "due soonest" (which lists only tickets with a
        running clock; see ``tickets.counts``)."""
        if self.text or self.overdue_at is not None or self.sort == DUE_SOONEST:
            return None
        return {
            "status": self.status,
            "priority": self.priority,
            "assignee_key": NO_ASSIGNEE if self.unassigned else self.assignee,
        }


class DashboardRow(NamedTuple):
    """What a row of the dashboard shows (``tickets/templatetags/ticket_rows.py``)."""

    pk: int
    title: str
    status: str
    priority: str
    creator_id: int
    assignee_id: int | None
    assignee_name: str | None
    updated_at: datetime
    due_at: datetime | None

    @property
    def status_actions(self) -> list[tuple[str, str]]:
        return status_actions(self.status)

    def is_assigned_to(self, user: User) -> bool:
        return self.assignee_id is not None and self.assignee_id == user.pk


def _read_rows(tickets: TicketQuerySet) -> QuerySet[Any, tuple[Any, ...]]:
    """The columns a :class:`DashboardRow` shows, and no others: each loaded column costs a
    conversion per row (SQLite stores times as text), and the description can be long.

    The assignee is a LEFT JOIN, which SQLite must drive from the tickets. Joining the creator
    (an inner join) let SQLite, with ``ANALYZE`` statistics, start from the small users table
    and sort every ticket: 150 ms for a page at 100,000 tickets, against under 1 ms for the page
    and a lookup of its creators by primary key (:func:`creator_names`).
    """
    return tickets.values_list(*_row_columns())


def _row_columns() -> tuple[str, ...]:
    return (
        "pk",
        "title",
        "status",
        "priority",
        "creator_id",
        "assignee_id",
        f"assignee__{get_user_model().USERNAME_FIELD}",
        "updated_at",
        "due_at",
    )


class DashboardTickets:
    """The tickets of ``query`` as Django's ``Paginator`` pages a list: a slice for each page
    (a list of rows), :meth:`capped_count`, and :meth:`reverse` for ``CountedPaginator`` to read
    a late page from the other end, as it does with a QuerySet."""

    #: ``Paginator`` warns about an unordered list; this one is always ordered.
    ordered = True

    def __init__(self, query: DashboardQuery, *, from_end: bool = False) -> None:
        self.query = query
        self.from_end = from_end
        self.alias = router.db_for_read(Ticket)
        adapt = connections[self.alias].ops.adapt_datetimefield_value
        self.values = query.values()
        self.build_markers = {name: _MARKERS[name] for name in self.values}
        # The ORM sends a time as SQLite's text: the marker and the value are bound adapted.
        self.markers = dict(self.build_markers)
        if "now" in self.values:
            self.values["now"] = adapt(self.values["now"])
            self.markers["now"] = adapt(self.markers["now"])
        # Everything the SQL depends on besides the values (a search text is never composed).
        self.shape = (
            tuple(self.values),
            query.unassigned and "assignee" not in self.values,
            query.sort,
            from_end,
        )

    def reverse(self) -> DashboardTickets:
        """The same tickets in the opposite order (``QuerySet.reverse()``)."""
        return DashboardTickets(self.query, from_end=not self.from_end)

    def capped_count(self) -> int:
        """How many tickets match, up to ``COUNT_CAP + 1`` (``counts.capped_count``)."""
        statement = self._statement(("count",), capped, "SELECT COUNT(*) FROM (%s) subquery")
        if statement is None:
            return capped_count(self._tickets(self.query.values()))
        return int(statement.rows(self.alias, self.values)[0][0])

    def __getitem__(self, bounds: slice) -> list[DashboardRow]:
        """The rows from ``bounds.start`` to ``bounds.stop`` (a page, as ``Paginator`` asks)."""
        start, stop = bounds.start or 0, bounds.stop
        if stop is not None and stop <= start:
            return []  # what the ORM answers for an empty slice, without a query

        def read(tickets: TicketQuerySet) -> QuerySet[Any, Any]:
            return _read_rows(tickets)[start:stop]

        statement = self._statement(("rows", start, stop), read)
        if statement is None:
            rows = list(read(self._tickets(self.query.values())))
        else:
            rows = statement.rows(self.alias, self.values)
        return [DashboardRow(*row) for row in rows]

    def explain(self) -> str:
        """The database's plan for the rows (``QuerySet.explain()`` of the QuerySet the rows'
        statements are composed from, with this request's values): the plan tests read it."""
        return _read_rows(self._tickets(self.query.values())).explain()

    def _statement(
        self,
        part: tuple[Any, ...],
        read: Callable[[TicketQuerySet], QuerySet[Any, Any]],
        wrap: str = "%s",
    ) -> composed.Statement | None:
        """This shape's statement for ``part`` (``read`` of the tickets), composed on first
        use; None for a search, or a shape that cannot be composed."""
        if self.query.text:
            return None
        return composed.statement(
            self.alias,
            ("tickets.dashboard_tickets", *self.shape, *part),
            self.markers,
            lambda: (read(self._tickets(self.build_markers)), wrap),
        )

    def _tickets(self, values: Mapping[str, Any]) -> TicketQuerySet:
        tickets = self.query.tickets(values)
        return tickets.reverse() if self.from_end else tickets


def creator_names(rows: Iterable[DashboardRow]) -> dict[int, str]:
    """The usernames of the creators of ``rows`` (a page) by user id, in one query by primary
    key (see :func:`_read_rows` for why not a join).

    Plain strings rather than ``prefetch_related("creator")``: a row shows one name, and the
    prefetch built a user object with deferred fields for each and set it on every ticket,
    0.85 ms against 0.3 ms for this query on a dashboard page of 25 rows. The query is sent as
    a statement composed once per number of creators (at most a page's 25): 0.26 -> 0.1 ms.
    """
    keys = {f"creator{n}": key for n, key in enumerate(sorted({row.creator_id for row in rows}))}
    if not keys:
        return {}
    markers = {name: _FIRST_CREATOR_MARKER - n for n, name in enumerate(keys)}
    alias = router.db_for_read(get_user_model())

    def names(values: Mapping[str, int]) -> QuerySet[Any, tuple[int, str]]:
        users = get_user_model().objects.filter(pk__in=list(values.values()))
        return users.values_list("pk", get_user_model().USERNAME_FIELD)

    statement = composed.statement(
        alias, ("tickets.creator_names", len(keys)), markers, lambda: (names(markers), "%s")
    )
    found = statement.rows(alias, keys) if statement is not None else list(names(keys))
    return dict(found)
