"""The default period, the period's weeks, and how durations and shares are written."""

from datetime import date, timedelta

import pytest

from reports.periods import Period, default_period
from reports.templatetags.report_format import duration, share


@pytest.mark.parametrize(
    ("today", "start", "end"),
    [
        (date(2026, 12, 5), date(2026, 10, 5), date(2026, 11, 29)),  # a Saturday
        (date(2026, 11, 30), date(2026, 10, 5), date(2026, 11, 29)),  # a Monday: not this week
        (date(2027, 1, 3), date(2026, 11, 2), date(2026, 12, 27)),  # a Sunday, across the year
    ],
)
def test_the_default_period_is_the_last_eight_full_iso_weeks(today, start, end):
    period = default_period(today)

    assert period == Period(start, end)
    assert len(period.weeks()) == 8
    assert all(monday.isoweekday() == 1 for monday in period.weeks())


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="ends on or after"):
        Period(date(2026, 6, 2), date(2026, 6, 1))


def test_a_year_long_period_touches_at_most_54_weeks():
    period = Period(date(2023, 12, 31), date(2023, 12, 31) + timedelta(days=365))

    assert len(period.weeks()) == 54


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "—"),
        (timedelta(seconds=59), "under 1 min"),
        (timedelta(minutes=12, seconds=30), "12 min"),
        (timedelta(hours=3), "3 h"),
        (timedelta(hours=3, minutes=5), "3 h 5 min"),
        (timedelta(days=2), "2 d"),
        (timedelta(days=2, hours=4, minutes=59), "2 d 4 h"),
    ],
)
def test_durations_are_written_in_their_two_largest_units(value, text):
    assert duration(value) == text


@pytest.mark.parametrize(
    ("value", "text"), [(None, "—"), (0.0, "0%"), (0.754, "75%"), (1.0, "100%")]
)
def test_shares_are_whole_percentages(value, text):
    assert share(value) == text
