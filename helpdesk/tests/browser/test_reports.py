"""A staff member reads the reports page in Chromium: the chart, its table, the agents, an
error beside a date; axe-core finds nothing serious on either screen, and no CSP violation."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from shared.browser import assert_accessible

from demo.seed import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_read_the_weekly_chart_its_table_and_the_agents(live_server, page, log_in):
    call_command("load_demo_data", stdout=io.StringIO())
    log_in(page, "agent", DEMO_PASSWORD)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()

    expect(page.get_by_role("heading", name="Reports", level=1)).to_be_visible()
    chart = page.get_by_role("img", name="Tickets opened and resolved per week")
    expect(chart).to_be_visible()
    assert chart.evaluate("svg => svg.getBoundingClientRect().height") > 100
    expect(page.get_by_role("table", name="Tickets opened and resolved per week")).to_be_visible()
    weeks = page.get_by_role("table", name="Tickets opened and resolved per week")
    expect(weeks.locator("tbody tr")).to_have_count(8)
    agents = page.get_by_role("table", name="Figures per agent")
    expect(agents.get_by_role("rowheader", name="agent", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("From", exact=True).fill("2026-06-10")
    page.get_by_label("To", exact=True).fill("2026-06-01")
    page.get_by_role("button", name="Show").click()

    expect(page.get_by_text("The period ends on or after the day it starts.")).to_be_visible()
    expect(page.get_by_label("To", exact=True)).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
