"""The figures of ``reports.queries.build_report``, each checked against numbers worked out by
hand, at the edges of the period and of the definitions (README, "Reports")."""

import zoneinfo
from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from reports.periods import Period
from reports.queries import UNASSIGNED, Figures, WeekCount, build_report
from tests.reports.conftest import JUNE, at
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


def test_an_empty_period_has_no_data_zero_weeks_and_no_division_by_zero():
    report = build_report(period=JUNE)

    assert report.has_data is False
    assert report.overall == Figures()
    assert report.agents == []
    assert report.weeks == [
        WeekCount(date(2026, 6, day), opened=0, resolved=0) for day in (1, 8, 15, 22)
    ]


def test_opened_and_resolved_are_counted_per_iso_week_with_empty_weeks_as_zero(make_ticket):
    make_ticket(at(1), resolved=HOUR)  # opened and resolved in week 1
    make_ticket(at(7, 23, 59, 59), resolved=timedelta(days=8))  # opened week 1, resolved week 3
    make_ticket(at(22))  # opened week 4

    report = build_report(period=JUNE)

    assert [(week.week.day, week.opened, week.resolved) for week in report.weeks] == [
        (1, 2, 1),
        (8, 0, 0),
        (15, 0, 1),
        (22, 1, 0),
    ]
    assert (report.overall.opened, report.overall.resolved) == (3, 2)


def test_the_period_includes_its_last_second_and_nothing_after(make_ticket):
    make_ticket(at(28, 23, 59, 59))  # the last second of Sunday 28 June
    make_ticket(at(29, 0))  # midnight after it
    make_ticket(at(1, 0) - timedelta(seconds=1))  # the second before the period
    make_ticket(at(1, 0))  # its first second

    report = build_report(period=JUNE)

    assert report.overall.opened == 2
    assert [week.opened for week in report.weeks] == [1, 0, 0, 1]


def test_a_period_of_part_weeks_shows_every_week_it_touches(make_ticket):
    make_ticket(at(3))
    make_ticket(at(10))  # after the period

    report = build_report(period=Period(date(2026, 6, 3), date(2026, 6, 9)))

    assert [(week.week, week.opened) for week in report.weeks] == [
        (date(2026, 6, 1), 1),
        (date(2026, 6, 8), 0),
    ]


def test_the_median_of_an_odd_count_is_the_middle_duration(make_ticket):
    for hours in (5, 1, 3):
        make_ticket(at(2), resolved=hours * HOUR)

    assert build_report(period=JUNE).overall.median_resolution == 3 * HOUR


def test_the_median_of_an_even_count_averages_the_two_middle_durations(make_ticket):
    for minutes in (10, 40, 20, 1000):
        make_ticket(at(2), responded=timedelta(minutes=minutes))

    figures = build_report(period=JUNE).overall
    assert figures.median_first_response == timedelta(minutes=30)
    assert figures.median_resolution is None


def test_ties_in_duration_still_give_the_median(make_ticket):
    for hours in (2, 2, 2, 7):
        make_ticket(at(2), resolved=hours * HOUR)

    assert build_report(period=JUNE).overall.median_resolution == 2 * HOUR


def test_medians_count_tickets_by_when_they_were_answered_or_resolved(make_ticket):
    # Opened before the period, answered and resolved inside it: it counts for both medians.
    make_ticket(at(1) - timedelta(days=2), responded=timedelta(days=3), resolved=timedelta(days=4))
    # Opened inside, answered and resolved after it: counts for neither.
    make_ticket(at(28), responded=timedelta(days=2), resolved=timedelta(days=3))

    figures = build_report(period=JUNE).overall
    assert (figures.opened, figures.responded, figures.resolved) == (1, 1, 1)
    assert figures.median_first_response == timedelta(days=3)
    assert figures.median_resolution == timedelta(days=4)


def test_targets_met_include_the_exact_deadline_and_skip_tickets_without_one(make_ticket):
    make_ticket(
        at(2), responded=HOUR, response_due=HOUR, resolved=4 * HOUR, resolution_due=4 * HOUR
    )
    make_ticket(
        at(2),
        responded=HOUR + timedelta(seconds=1),
        response_due=HOUR,
        resolved=5 * HOUR,
        resolution_due=4 * HOUR,
    )
    make_ticket(at(2), responded=HOUR, resolved=HOUR)  # no targets: in neither share
    make_ticket(at(3), responded=HOUR, response_due=2 * HOUR)  # answered in time, still open

    figures = build_report(period=JUNE).overall

    assert (figures.responded, figures.response_targeted, figures.response_met) == (4, 3, 2)
    assert figures.response_met_share == pytest.approx(2 / 3)
    assert (figures.resolution_targeted, figures.resolution_met) == (2, 1)
    assert figures.resolution_met_share == 0.5


def test_no_targets_means_no_share_rather_than_zero(make_ticket):
    make_ticket(at(2), responded=HOUR, resolved=HOUR)

    figures = build_report(period=JUNE).overall

    assert figures.response_met_share is None
    assert figures.resolution_met_share is None


def test_satisfaction_is_good_over_all_ratings_given_in_the_period(make_ticket):
    make_ticket(at(2), resolved=HOUR, rating="good")
    make_ticket(at(2), resolved=HOUR, rating="good")
    make_ticket(at(2), resolved=HOUR, rating="bad")
    # Resolved and rated after the period: not counted.
    make_ticket(at(28), resolved=timedelta(days=2), rating="bad")
    # Resolved before the period, rated inside it: counted.
    make_ticket(at(1) - timedelta(days=3), resolved=HOUR, rating="good", rated_at=at(1, 10))

    figures = build_report(period=JUNE).overall

    assert (figures.rated, figures.good, figures.bad) == (4, 3, 1)
    assert figures.satisfaction == 0.75


def test_no_ratings_means_no_score(make_ticket):
    make_ticket(at(2), resolved=HOUR)

    figures = build_report(period=JUNE).overall
    assert (figures.rated, figures.satisfaction) == (0, None)


def test_each_agent_gets_their_assigned_tickets_figures_and_unassigned_come_last(
    make_ticket, ann, ben
):
    make_ticket(at(2), assignee=ann, responded=HOUR, response_due=HOUR, resolved=2 * HOUR)
    make_ticket(at(2), assignee=ann, responded=3 * HOUR, response_due=HOUR, resolved=6 * HOUR)
    make_ticket(at(2), assignee=ben, responded=10 * HOUR, resolved=20 * HOUR, rating="bad")
    make_ticket(at(3))
    make_ticket(
        at(1) - timedelta(days=9), assignee=ben, resolved=HOUR, rating="good", rated_at=at(4)
    )

    report = build_report(period=JUNE)

    rows = {row.name: row for row in report.agents}
    assert [row.name for row in report.agents] == ["ann", "ben", UNASSIGNED]
    assert rows["ann"].agent_id == ann.pk
    assert rows[UNASSIGNED].agent_id is None
    assert rows["ann"].figures == Figures(
        opened=2,
        resolved=2,
        median_first_response=2 * HOUR,
        median_resolution=4 * HOUR,
        responded=2,
        response_targeted=2,
        response_met=1,
        response_met_share=0.5,
    )
    assert rows["ben"].figures == Figures(
        opened=1,
        resolved=1,
        median_first_response=10 * HOUR,
        median_resolution=20 * HOUR,
        responded=1,
        rated=2,
        good=1,
        bad=1,
        satisfaction=0.5,
    )
    assert rows[UNASSIGNED].figures == Figures(opened=1)
    assert report.overall.median_resolution == 6 * HOUR  # of 2, 6 and 20 hours
    assert report.overall.opened == 4


def test_an_agent_filter_keeps_only_that_agents_tickets_and_ratings(make_ticket, ann, ben):
    make_ticket(at(2), assignee=ann, resolved=HOUR, rating="good")
    make_ticket(at(9), assignee=ben, resolved=5 * HOUR, rating="bad")
    make_ticket(at(9))

    report = build_report(period=JUNE, agent_id=ben.pk)

    assert [week.opened for week in report.weeks] == [0, 1, 0, 0]
    assert (report.overall.opened, report.overall.resolved) == (1, 1)
    assert report.overall.median_resolution == 5 * HOUR
    assert (report.overall.rated, report.overall.satisfaction) == (1, 0.0)
    assert [row.name for row in report.agents] == ["ben"]


def test_days_and_weeks_follow_the_sites_time_zone(make_ticket):
    # 13:00 UTC on Sunday 7 June is 01:00 on Monday 8 June in Auckland (UTC+12 in June).
    make_ticket(at(7, 13))
    # 11:30 UTC on Sunday 28 June is 23:30 on the period's last day there.
    make_ticket(at(28, 11, 30))
    # 12:00 UTC on Sunday 28 June is already Monday 29 June there: after the period.
    make_ticket(at(28, 12))

    with timezone.override(zoneinfo.ZoneInfo("Pacific/Auckland")):
        report = build_report(period=JUNE)

    assert [week.opened for week in report.weeks] == [0, 1, 0, 1]


@pytest.mark.parametrize(
    ("field", "index"),
    [("resolved_at", "ticket_resolved_idx"), ("first_responded_at", "ticket_first_response_idx")],
)
def test_a_periods_resolutions_and_first_responses_are_read_through_their_partial_index(
    make_ticket, field, index
):
    for day in range(1, 29):
        make_ticket(at(day), responded=HOUR, resolved=2 * HOUR)
        make_ticket(at(day))  # still open: in neither index
    first, after = JUNE.bounds()
    in_period = Ticket.objects.filter(**{f"{field}__gte": first, f"{field}__lt": after})
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # a few rows: make the planner show its index
            cursor.execute("SET LOCAL enable_seqscan = off")

    assert index in in_period.values_list("pk").explain()
