"""The period form: defaults, the one-year limit, dates up to today, known agents only."""

from datetime import date

import pytest

from reports.forms import ReportForm
from reports.periods import Period

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 5)  # a Saturday


def _form(**data):
    form = ReportForm(data, today=TODAY)
    form.is_valid()
    return form


def test_empty_dates_mean_the_last_eight_full_weeks():
    form = _form()

    assert form.errors == {}
    assert form.period() == Period(date(2026, 10, 5), date(2026, 11, 29))
    assert form.agent_id() is None


def test_a_start_alone_runs_to_the_default_end():
    assert _form(start="2026-11-01").period() == Period(date(2026, 11, 1), date(2026, 11, 29))


def test_a_start_after_the_default_end_alone_is_a_period_of_one_day():
    assert _form(start="2026-12-03").period() == Period(date(2026, 12, 3), date(2026, 12, 3))


def test_a_period_of_366_days_is_allowed_and_367_is_not():
    assert _form(start="2025-01-01", end="2026-01-01").errors == {}

    assert _form(start="2025-01-01", end="2026-01-02").errors == {
        "end": ["A report covers at most 366 days."]
    }


def test_the_end_before_the_start_is_an_error_beside_the_end():
    assert _form(start="2026-06-10", end="2026-06-09").errors == {
        "end": ["The period ends on or after the day it starts."]
    }


def test_today_is_allowed_tomorrow_is_not():
    assert _form(start="2026-12-01", end="2026-12-05").errors == {}
    assert _form(start="2026-12-01", end="2026-12-06").errors == {
        "end": ["Choose a day up to today (2026-12-05)."]
    }
    assert _form(start="2026-12-06").errors == {"start": ["Choose a day up to today (2026-12-05)."]}


@pytest.mark.parametrize("value", ["2026-13-01", "yesterday", "9999-12-31", "0", "2026-02-30"])
def test_a_date_that_is_not_a_usable_day_is_an_error(value):
    errors = _form(start=value).errors

    assert list(errors) == ["start"]


def test_only_staff_members_can_be_chosen_as_agent(staff_user, user):
    assert _form(agent=str(staff_user.pk)).agent_id() == staff_user.pk

    for value in (str(user.pk), "999999", "1e3", "-1"):
        assert "agent" in _form(agent=value).errors
