"""The stretch of time a report covers: whole days in the site's time zone, cut into ISO weeks.

A period is a pair of dates, both included. The database is asked about the half-open range of
instants ``[start 00:00, day after end 00:00)`` in the current time zone, so a ticket resolved at
23:59:59 on the last day counts and one at midnight after it does not, whatever the time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

#: The default report: this many full ISO weeks (Monday to Sunday), ending last Sunday.
DEFAULT_WEEKS = 8
#: The longest period a report covers, both ends included (a leap year's worth of days).
MAX_DAYS = 366


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("A period ends on or after the day it starts.")

    def bounds(self) -> tuple[datetime, datetime]:
        """The first instant of the period and the first instant after it, time-zone aware."""
        zone = timezone.get_current_timezone()
        first = datetime.combine(self.start, time.min, tzinfo=zone)
        after = datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone)
        return first, after

    def weeks(self) -> list[date]:
        """The Monday of every ISO week the period touches, in order: one bar per week."""
        monday = week_start(self.start)
        last = week_start(self.end)
        return [monday + timedelta(weeks=n) for n in range((last - monday).days // 7 + 1)]


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week (what the database's ``TruncWeek`` returns)."""
    return day - timedelta(days=day.weekday())


def default_period(today: date) -> Period:
    """The last ``DEFAULT_WEEKS`` full weeks: the week of ``today`` has not ended, so not it."""
    this_monday = week_start(today)
    return Period(
        start=this_monday - timedelta(weeks=DEFAULT_WEEKS),
        end=this_monday - timedelta(days=1),
    )
