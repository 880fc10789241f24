"""Every figure of the reports page, computed by the database in a fixed number of queries.

Ten queries, whatever the number of tickets: opened per week, resolved per week, the counts and
target shares overall and per agent (two), the two medians overall and per agent (four), the
ratings overall and per agent (two). Python only files the rows into dataclasses and fills
the weeks without tickets with zeros; every count, share and median is an SQL aggregate.

What counts, for a period ``[first, after)`` (see ``reports.periods``):

- *opened*: tickets created in the period; *resolved*: tickets whose ``resolved_at`` (their
  latest resolution) falls in it.
- *first response*: tickets whose first public staff reply (``first_responded_at``) falls in
  the period; the target is met when that reply came no later than ``first_response_due_at``.
- *resolution*: tickets resolved in the period; the target is met when ``resolved_at`` is no
  later than ``resolution_due_at`` (kept at its final value on resolution).
  A ticket without a due time (none was ever set) counts in neither share.
- *satisfaction*: ratings given in the period, good / (good + bad).
- *agent*: the ticket's current assignee; a rating belongs to its ticket's assignee.

The median is portable SQL, the same on SQLite and PostgreSQL: ``ROW_NUMBER()`` and ``COUNT()``
windows (per agent: partitioned by assignee) pick the middle row, or the two middle rows of an
even count, and ``AVG`` of their durations is the median. PostgreSQL's ``PERCENTILE_CONT``
would give the same number, but SQLite has no such function, and one definition tested on both
databases beats two.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DateField,
    F,
    FloatField,
    Q,
    Window,
)
from django.db.models.functions import Cast, NullIf, RowNumber, TruncWeek

from reports.durations import SecondsBetween
from reports.periods import Period
from satisfaction.models import Rating, Score
from tickets.models import Ticket, TicketQuerySet

UNASSIGNED = "Unassigned"


@dataclass(frozen=True)
class Figures:
    """The numbers of one table row: everyone, or one agent."""

    opened: int = 0
    resolved: int = 0
    median_first_response: timedelta | None = None
    median_resolution: timedelta | None = None
    #: Tickets first responded to in the period, and those of them that had a target.
    responded: int = 0
    response_targeted: int = 0
    response_met: int = 0
    #: ``response_met / response_targeted``; None when no ticket had a target.
    response_met_share: float | None = None
    resolution_targeted: int = 0
    resolution_met: int = 0
    resolution_met_share: float | None = None
    rated: int = 0
    good: int = 0
    bad: int = 0
    #: ``good / rated``; None without ratings.
    satisfaction: float | None = None

    @property
    def has_data(self) -> bool:
        return bool(self.opened or self.resolved or self.responded or self.rated)


@dataclass(frozen=True)
class AgentRow:
    agent_id: int | None
    name: str
    figures: Figures


@dataclass(frozen=True)
class WeekCount:
    week: date  # the Monday of the ISO week
    opened: int
    resolved: int


@dataclass(frozen=True)
class Report:
    period: Period
    agent_id: int | None
    weeks: list[WeekCount]
    overall: Figures
    agents: list[AgentRow]

    @property
    def has_data(self) -> bool:
        return self.overall.has_data


def build_report(*, period: Period, agent_id: int | None = None) -> Report:
    """The report for ``period``, for every agent or for one (tickets assigned to ``agent_id``)."""
    first, after = period.bounds()
    tickets = Ticket.objects.all()
    ratings = Rating.objects.filter(created_at__gte=first, created_at__lt=after)
    if agent_id is not None:
        tickets = tickets.filter(assignee_id=agent_id)
        ratings = ratings.filter(ticket__assignee_id=agent_id)

    opened = _per_week(tickets, "created_at", first, after)
    resolved = _per_week(tickets, "resolved_at", first, after)
    weeks = [
        WeekCount(week=monday, opened=opened.get(monday, 0), resolved=resolved.get(monday, 0))
        for monday in period.weeks()
    ]

    active = tickets.filter(
        _within("created_at", first, after)
        | _within("resolved_at", first, after)
        | _within("first_responded_at", first, after)
    ).order_by()
    ticket_figures = _ticket_aggregates(first, after)
    rating_figures = _rating_aggregates()
    response = _median(tickets, "first_responded_at", first, after)
    resolution = _median(tickets, "resolved_at", first, after)
    overall = _figures(
        active.aggregate(**ticket_figures),
        ratings.aggregate(**rating_figures),
        first_response=_seconds(response.aggregate(median=Avg(_duration("first_responded_at")))),
        resolution=_seconds(resolution.aggregate(median=Avg(_duration("resolved_at")))),
    )

    counts = {
        row.pop("assignee"): row
        for row in active.values("assignee", "assignee__username").annotate(**ticket_figures)
    }
    rated = {
        row.pop("ticket__assignee"): row
        for row in ratings.order_by()
        .values("ticket__assignee", "ticket__assignee__username")
        .annotate(**rating_figures)
    }
    responses = _median_per_agent(tickets, "first_responded_at", first, after)
    resolutions = _median_per_agent(tickets, "resolved_at", first, after)
    agents = [
        AgentRow(
            agent_id=assignee,
            name=_agent_name(counts.get(assignee, {}) | rated.get(assignee, {})),
            figures=_figures(
                counts.get(assignee, {}),
                rated.get(assignee, {}),
                first_response=responses.get(assignee),
                resolution=resolutions.get(assignee),
            ),
        )
        for assignee in counts.keys() | rated.keys()
    ]
    agents.sort(key=lambda row: (row.agent_id is None, row.name.casefold()))
    return Report(period=period, agent_id=agent_id, weeks=weeks, overall=overall, agents=agents)


def _within(field: str, first: datetime, after: datetime) -> Q:
    return Q(**{f"{field}__gte": first, f"{field}__lt": after})


def _share(part: Q, whole: Q) -> Any:
    """``part / whole`` as the database divides it; NULL (None) when ``whole`` counts nothing."""
    return Cast(Count("pk", filter=part), FloatField()) / NullIf(Count("pk", filter=whole), 0)


def _ticket_aggregates(first: datetime, after: datetime) -> dict[str, Any]:
    resolved = _within("resolved_at", first, after)
    responded = _within("first_responded_at", first, after)
    response_targeted = responded & Q(first_response_due_at__isnull=False)
    response_met = responded & Q(first_responded_at__lte=F("first_response_due_at"))
    resolution_targeted = resolved & Q(resolution_due_at__isnull=False)
    resolution_met = resolved & Q(resolved_at__lte=F("resolution_due_at"))
    return {
        "opened": Count("pk", filter=_within("created_at", first, after)),
        "resolved": Count("pk", filter=resolved),
        "responded": Count("pk", filter=responded),
        "response_targeted": Count("pk", filter=response_targeted),
        "response_met": Count("pk", filter=response_met),
        "response_met_share": _share(response_met, response_targeted),
        "resolution_targeted": Count("pk", filter=resolution_targeted),
        "resolution_met": Count("pk", filter=resolution_met),
        "resolution_met_share": _share(resolution_met, resolution_targeted),
    }


def _rating_aggregates() -> dict[str, Any]:
    good = Q(score=Score.GOOD)
    return {
        "rated": Count("pk"),
        "good": Count("pk", filter=good),
        "bad": Count("pk", filter=Q(score=Score.BAD)),
        "satisfaction": _share(good, Q(pk__isnull=False)),
    }


def _per_week(
    tickets: TicketQuerySet, field: str, first: datetime, after: datetime
) -> dict[date, int]:
    """Tickets per ISO week of ``field``, in the current time zone; empty weeks are absent."""
    rows = (
        tickets.filter(_within(field, first, after))
        .annotate(week=TruncWeek(field, output_field=DateField()))
        .order_by()
        .values_list("week")
        .annotate(tickets=Count("pk"))
    )
    return dict(rows)


def _duration(end: str) -> SecondsBetween:
    """Seconds from the ticket's creation to ``end`` (``reports.durations``)."""
    return SecondsBetween(end, "created_at")


def _median(
    tickets: TicketQuerySet,
    end: str,
    first: datetime,
    after: datetime,
    *,
    per_agent: bool = False,
) -> TicketQuerySet:
    """The middle ticket(s) by duration to ``end`` among those whose ``end`` is in the period.

    Ranked by ``ROW_NUMBER()`` (ties broken by id) against the ``COUNT()`` of the same window:
    rows ``(n + 1) / 2`` to ``(n + 2) / 2`` in integer division are the middle one of an odd
    count and the middle two of an even one. Averaging their durations gives the median. Django
    wraps a filter on window functions in a subquery, so the whole thing is one SQL statement.
    """
    partition = [F("assignee")] if per_agent else None
    duration = _duration(end)
    middle = (
        tickets.filter(_within(end, first, after))
        .annotate(
            rank=Window(RowNumber(), partition_by=partition, order_by=[duration.asc(), "pk"]),
            size=Window(Count("pk"), partition_by=partition),
        )
        .filter(rank__gte=(F("size") + 1) / 2, rank__lte=(F("size") + 2) / 2)
        .values("pk")
    )
    return Ticket.objects.filter(pk__in=middle).order_by()


def _median_per_agent(
    tickets: TicketQuerySet, end: str, first: datetime, after: datetime
) -> dict[int | None, timedelta]:
    middle = _median(tickets, end, first, after, per_agent=True)
    return {
        assignee: timedelta(seconds=seconds)
        for assignee, seconds in middle.values_list("assignee").annotate(median=Avg(_duration(end)))
    }


def _seconds(aggregate: Mapping[str, float | None]) -> timedelta | None:
    seconds = aggregate["median"]
    return None if seconds is None else timedelta(seconds=seconds)


def _agent_name(row: Mapping[str, Any]) -> str:
    name = row.get("assignee__username") or row.get("ticket__assignee__username")
    return str(name) if name else UNASSIGNED


def _figures(
    tickets: Mapping[str, Any],
    ratings: Mapping[str, Any],
    *,
    first_response: timedelta | None,
    resolution: timedelta | None,
) -> Figures:
    names = Figures.__dataclass_fields__
    values = {
        key: value
        for key, value in (*tickets.items(), *ratings.items())
        if key in names and value is not None
    }
    return Figures(**values, median_first_response=first_response, median_resolution=resolution)
