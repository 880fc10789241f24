"""The demo data gives the reports page's default period something to show."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from demo.history import PAST_TICKETS, seed_report_history
from demo.seed import seed_accounts
from reports.periods import default_period
from reports.queries import build_report

pytestmark = pytest.mark.django_db


def test_the_last_eight_weeks_have_tickets_answers_resolutions_and_ratings_every_week():
    call_command("load_demo_data", stdout=None)

    report = build_report(period=default_period(timezone.localdate()))

    assert all(week.opened for week in report.weeks)
    overall = report.overall
    assert overall.resolved >= len(PAST_TICKETS) - 2
    assert 0 < overall.response_met < overall.response_targeted
    assert 0 < overall.resolution_met < overall.resolution_targeted
    assert 0 < overall.good < overall.rated
    assert overall.median_first_response is not None
    assert {row.name for row in report.agents} >= {"agent", "admin"}


def test_the_past_tickets_follow_the_day_the_demo_is_loaded():
    people = seed_accounts()
    tickets = seed_report_history(people, today=date(2026, 3, 4))

    assert min(t.created_at for t in tickets).date() == date(2026, 1, 6)  # Tuesday, 8 weeks back
    assert max(t.created_at for t in tickets).date() < date(2026, 3, 2)
    assert seed_report_history(people, today=date(2026, 3, 4) + timedelta(days=1)) == []
