"""The reports page: staff only, a GET form whose errors sit beside the fields, the figures,
the chart with its data table, and a query count that does not grow with the tickets."""

import random
import re
import statistics
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from shared.factories import StaffUserFactory, UserFactory

from reports.periods import default_period
from satisfaction.models import Rating, Score
from tests.reports.conftest import at
from tickets.models import Status, Ticket

pytestmark = pytest.mark.django_db

URL = "/reports/"
JUNE_QUERY = {"start": "2026-06-01", "end": "2026-06-28"}


@pytest.mark.parametrize(
    ("role", "expected"), [("anonymous", 302), ("creator", 403), ("other", 403), ("staff", 200)]
)
def test_only_staff_see_reports(role_client, role, expected):
    response = role_client(role).get(URL)

    assert response.status_code == expected
    if role == "anonymous":
        assert response.url == f"/accounts/login/?next={URL}"


def test_the_nav_links_to_reports_for_staff_only(staff_client, user_client):
    assert 'href="/reports/" aria-current="page">Reports</a>' in staff_client.get(URL).text
    assert 'href="/reports/"' not in user_client.get("/tickets/").text


def test_without_a_query_the_page_shows_the_last_eight_full_weeks(staff_client):
    response = staff_client.get(URL)

    period = default_period(timezone.localdate())
    report = response.context["report"]
    assert report.period == period
    assert len(report.weeks) == 8
    form = response.context["form"]
    assert form["start"].value() == period.start
    assert form["end"].value() == period.end


def test_an_empty_period_says_there_is_no_data(staff_client):
    response = staff_client.get(URL, JUNE_QUERY)

    assert response.status_code == 200
    assert "No data for this period" in response.text
    assert "<svg" not in response.text


def test_bad_input_is_a_400_with_the_error_beside_its_field_and_no_report(staff_client):
    response = staff_client.get(URL, {"start": "2026-06-10", "end": "2026-06-01", "agent": "x"})

    assert response.status_code == 400
    assert response.context.get("report") is None
    html = response.text
    assert '<p class="error" id="id_end_error">The period ends on or after' in html
    assert '<p class="error" id="id_agent_error">Select a valid choice.' in html
    assert "Correct the period above to see the report." in html


def test_the_page_shows_the_figures_the_chart_and_its_table(staff_client, make_ticket, ann):
    make_ticket(at(2), assignee=ann, responded=2 * timedelta(hours=1), resolved=timedelta(days=1))
    make_ticket(at(9), resolved=timedelta(hours=3), rating="good")
    make_ticket(at(9))

    html = staff_client.get(URL, JUNE_QUERY).text

    assert '<span class="stat-number">3</span> opened' in html
    assert '<span class="stat-number">2 h</span> median first response' in html
    assert '<span class="stat-number">13 h 30 min</span> median resolution' in html
    assert '<span class="stat-number">100%</span> satisfied (1 good of 1 rating)' in html
    assert '<span class="stat-number">—</span> first responses on time' in html
    assert 'role="img" aria-labelledby="weekly-chart-title weekly-chart-desc"' in html
    assert "<title>8 Jun: 2 opened</title>" in html
    rows = re.findall(
        r'<time datetime="(2026-06-\d\d)">.*?</time></th>\s*'
        r'<td data-label="Opened">(\d+)</td>\s*<td data-label="Resolved">(\d+)</td>',
        html,
    )
    assert rows == [
        ("2026-06-01", "1", "1"),
        ("2026-06-08", "2", "1"),
        ("2026-06-15", "0", "0"),
        ("2026-06-22", "0", "0"),
    ]
    assert '<th scope="row" data-label="Agent">ann</th>' in html
    assert '<th scope="row" data-label="Agent">Unassigned</th>' in html


def test_choosing_an_agent_narrows_the_report_and_says_so(staff_client, make_ticket, ann, ben):
    make_ticket(at(2), assignee=ann)
    make_ticket(at(2), assignee=ben)

    response = staff_client.get(URL, {**JUNE_QUERY, "agent": str(ben.pk)})

    assert response.context["report"].overall.opened == 1
    assert "tickets assigned to ben" in response.text


def _expected(tickets, ratings, first, after):
    """The figures worked out in Python from the rows, as the README defines them."""

    def within(moment):
        return moment is not None and first <= moment < after

    def monday(moment):
        day = moment.date()
        return day - timedelta(days=day.weekday())

    responded = [t for t in tickets if within(t.first_responded_at)]
    resolved = [t for t in tickets if within(t.resolved_at)]
    response_targeted = [t for t in responded if t.first_response_due_at is not None]
    resolution_targeted = [t for t in resolved if t.resolution_due_at is not None]
    rated = [r for r in ratings if within(r.created_at)]
    good = sum(r.score == Score.GOOD for r in rated)
    return {
        "opened_per_week": Counter(monday(t.created_at) for t in tickets if within(t.created_at)),
        "resolved_per_week": Counter(monday(t.resolved_at) for t in resolved),
        "median_first_response": statistics.median(
            t.first_responded_at - t.created_at for t in responded
        ),
        "median_resolution": statistics.median(t.resolved_at - t.created_at for t in resolved),
        "response_met_share": sum(
            t.first_responded_at <= t.first_response_due_at for t in response_targeted
        )
        / len(response_targeted),
        "resolution_met_share": sum(
            t.resolved_at <= t.resolution_due_at for t in resolution_targeted
        )
        / len(resolution_targeted),
        "satisfaction": good / len(rated),
        "rated": len(rated),
    }


def _figures(report):
    overall = report.overall
    return {
        "opened_per_week": Counter({w.week: w.opened for w in report.weeks if w.opened}),
        "resolved_per_week": Counter({w.week: w.resolved for w in report.weeks if w.resolved}),
        "median_first_response": overall.median_first_response,
        "median_resolution": overall.median_resolution,
        "response_met_share": pytest.approx(overall.response_met_share),
        "resolution_met_share": pytest.approx(overall.resolution_met_share),
        "satisfaction": pytest.approx(overall.satisfaction),
        "rated": overall.rated,
    }


def _add_tickets(count, *, rng, customer, agents, start):
    """``count`` tickets over twelve weeks from ``start`` (the period is the middle eight),
    in whole seconds, with random answers, resolutions, deadlines and ratings."""
    tickets = []
    for _ in range(count):
        created = start + timedelta(seconds=rng.randrange(12 * 7 * 24 * 3600))
        responded = created + timedelta(seconds=rng.randrange(60, 3 * 24 * 3600))
        resolved = responded + timedelta(seconds=rng.randrange(0, 10 * 24 * 3600))
        is_resolved = rng.random() < 0.7
        tickets.append(
            Ticket(
                title="Load",
                description="Generated",
                creator=customer,
                assignee=rng.choice(agents),
                status=Status.RESOLVED if is_resolved else Status.OPEN,
                created_at=created,
                first_responded_at=responded if rng.random() < 0.9 else None,
                first_response_due_at=created + timedelta(hours=rng.choice([1, 4, 24, 48])),
                resolved_at=resolved if is_resolved else None,
                resolution_due_at=(
                    created + timedelta(hours=rng.choice([4, 24, 72, 120]))
                    if rng.random() < 0.95
                    else None
                ),
            )
        )
    created = Ticket.objects.bulk_create(tickets, batch_size=2000)
    ratings = [
        Rating(
            ticket=ticket,
            score=rng.choice([Score.GOOD, Score.GOOD, Score.BAD]),
            created_at=ticket.resolved_at + timedelta(hours=rng.randrange(1, 200)),
        )
        for ticket in created
        if ticket.resolved_at is not None and rng.random() < 0.4
    ]
    Rating.objects.bulk_create(ratings, batch_size=2000)


def test_the_page_costs_the_same_queries_for_10_and_10000_tickets_and_matches_python(
    staff_client,
):
    rng = random.Random(16)
    customer = UserFactory.create()
    agents = [None, *StaffUserFactory.create_batch(3)]
    start = datetime(2026, 5, 4, tzinfo=UTC)  # a Monday; the period is 18 May to 12 July
    query = {"start": "2026-05-18", "end": "2026-07-12"}
    first, after = datetime(2026, 5, 18, tzinfo=UTC), datetime(2026, 7, 13, tzinfo=UTC)
    query_counts = []
    for count in (10, 9_990):
        _add_tickets(count, rng=rng, customer=customer, agents=agents, start=start)

        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(URL, query)

        assert response.status_code == 200
        query_counts.append(len(queries))
        expected = _expected(Ticket.objects.all(), Rating.objects.all(), first, after)
        assert _figures(response.context["report"]) == expected

    assert Ticket.objects.count() == 10_000
    # Session and user, the agent choices, and the report's ten queries.
    assert query_counts == [13, 13]
